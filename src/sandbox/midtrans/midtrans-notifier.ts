import type { SimulatorState } from "../sim-kit";
import { later } from "../sim-kit";

/**
 * Midtrans' notification retry table (midtrans.md §4), which depends on what the
 * store answered: 2xx none; 500 once; 503 four times; 400/404 twice; 301/302/303
 * none; 307/308 followed (max 5 hops); anything else or no answer five times at
 * about 2 min, 10 min, 30 min, 1.5 h and 3.5 h. Intervals are divided by `timeScale`.
 */
const RETRY_INTERVALS_MS = [2, 10, 30, 90, 210].map((minutes) => minutes * 60_000);

export function retriesAllowed(status: number | null): number {
  if (status === null) return 5;
  if (status >= 200 && status < 300) return 0;
  if (status === 500) return 1;
  if (status === 503) return 4;
  if (status === 400 || status === 404) return 2;
  if (status >= 301 && status <= 303) return 0;
  return 5;
}

export interface Notification {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeScale: number;
  timeoutMs: number;
}

/** POSTs one notification; the first attempt is awaited, retries run in the background. Logged in state.deliveries. */
export async function notify(state: SimulatorState<object>, notification: Notification): Promise<void> {
  const log = { id: state.deliveries.length + 1, url: notification.url, headers: notification.headers, body: notification.body, attempts: [] as SimulatorState<object>["deliveries"][number]["attempts"], accepted: false };
  state.deliveries.push(log);
  const attempt = async (retryIndex: number): Promise<void> => {
    const started = Date.now();
    const { status, answer } = await post(notification);
    log.attempts.push({ at: new Date().toISOString(), status, answer, ms: Date.now() - started });
    log.accepted = status !== null && status >= 200 && status < 300;
    if (log.accepted || retryIndex >= retriesAllowed(status)) return;
    later(Math.max(1, Math.round(RETRY_INTERVALS_MS[retryIndex] / notification.timeScale)), () => attempt(retryIndex + 1));
  };
  await attempt(0);
}

/** One delivery, following 307/308 redirects (method and body kept) up to five hops. */
async function post(notification: Notification): Promise<{ status: number | null; answer: string }> {
  let url = notification.url;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetch(url, {
        method: "POST",
        headers: notification.headers,
        body: notification.body,
        redirect: "manual",
        signal: AbortSignal.timeout(notification.timeoutMs),
      });
      const location = response.headers.get("location");
      if ((response.status === 307 || response.status === 308) && location && hop < 5) {
        url = new URL(location, url).toString();
        continue;
      }
      return { status: response.status, answer: (await response.text()).slice(0, 500) };
    }
  } catch (error) {
    return { status: null, answer: error instanceof Error ? error.message : String(error) };
  }
}
