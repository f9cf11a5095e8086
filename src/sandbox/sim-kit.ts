import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { httpRequest, HttpTimeoutError } from "../core/http-client";

/**
 * Shared pieces of the provider simulators: fault injection, callback delivery
 * with retries and a delivery log, and the /__sim control endpoints.
 */

/** Faults for one endpoint (by name, e.g. "transaction") — see ../shared/providers/README.md. */
export interface EndpointFaults {
  delay_ms?: number;
  /** accept the request and never answer */
  timeout?: boolean;
  http500?: boolean;
  http503?: boolean;
  malformed_json?: boolean;
}

export interface CallbackDeliveryLog {
  id: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  attempts: { at: string; status: number | null; answer: string; ms: number }[];
  accepted: boolean;
}

export interface SimulatorState<Config extends object> {
  config: Config;
  /** per-endpoint faults */
  faults: Record<string, EndpointFaults>;
  /** per-callback toggles (duplicate, bad_signature, amount_mismatch, drop, ...) */
  callbackFaults: Record<string, boolean>;
  deliveries: CallbackDeliveryLog[];
}

export function createSimulatorState<Config extends object>(config: Config): SimulatorState<Config> {
  return { config: { ...config }, faults: {}, callbackFaults: {}, deliveries: [] };
}

/** Express middleware applying the endpoint's faults before the handler runs. */
export function withFaults(state: SimulatorState<object>, endpoint: string) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const faults = state.faults[endpoint] ?? {};
    if (faults.delay_ms) await sleep(faults.delay_ms);
    if (faults.timeout) return; // never answer; the client's deadline fires
    if (faults.http500) return void res.status(500).send("Internal Server Error");
    if (faults.http503) return void res.status(503).send("Service Unavailable");
    if (faults.malformed_json) return void res.status(200).type("application/json").send('{"data": {"rc": ');
    next();
  };
}

/** The /__sim control endpoints every simulator serves. */
export function controlRouter(state: SimulatorState<object>, reset?: () => void): Router {
  const router = express.Router();
  router.use(express.json());
  router.post("/config", (req, res) => {
    Object.assign(state.config, req.body ?? {});
    res.json({ config: state.config });
  });
  router.post("/faults", (req, res) => {
    const body = (req.body ?? {}) as { endpoints?: Record<string, EndpointFaults>; callbacks?: Record<string, boolean> };
    if (body.endpoints) state.faults = { ...state.faults, ...body.endpoints };
    if (body.callbacks) state.callbackFaults = { ...state.callbackFaults, ...body.callbacks };
    res.json({ faults: state.faults, callbacks: state.callbackFaults });
  });
  router.delete("/faults", (_req, res) => {
    state.faults = {};
    state.callbackFaults = {};
    res.json({ ok: true });
  });
  router.get("/callbacks", (_req, res) => res.json(state.deliveries));
  router.post("/reset", (_req, res) => {
    state.faults = {};
    state.callbackFaults = {};
    state.deliveries.length = 0;
    reset?.();
    res.json({ ok: true });
  });
  return router;
}

export interface DeliveryOptions {
  url: string;
  headers: Record<string, string>;
  /** serialised once; signatures are computed over exactly these bytes */
  body: string;
  /** how the provider decides that the store took the callback */
  isAccepted: (status: number, text: string) => boolean;
  retries: number;
  retryIntervalMs: number;
  /** uneven schedules (Xendit): the wait before retry n (1-based); overrides retryIntervalMs */
  retryDelayMs?: (retry: number) => number;
  /** Xendit does not retry a delivery that got no answer in time */
  noRetryAfterTimeout?: boolean;
}

const pendingTimers = new Set<NodeJS.Timeout>();

/**
 * POSTs a callback and retries on the provider's schedule until accepted. The
 * first attempt is awaited (so tests can wait for it); retries run in the background.
 */
export async function deliverCallback(state: SimulatorState<object>, options: DeliveryOptions): Promise<CallbackDeliveryLog> {
  const log: CallbackDeliveryLog = {
    id: state.deliveries.length + 1,
    url: options.url,
    headers: options.headers,
    body: options.body,
    attempts: [],
    accepted: false,
  };
  state.deliveries.push(log);
  const attempt = async (left: number): Promise<void> => {
    const started = Date.now();
    let status: number | null = null;
    let answer = "";
    let timedOut = false;
    try {
      const response = await httpRequest(options.url, { method: "POST", headers: options.headers, body: options.body, timeoutMs: 30_000 });
      status = response.status;
      answer = response.text.slice(0, 500);
    } catch (error) {
      answer = error instanceof Error ? error.message : String(error);
      timedOut = error instanceof HttpTimeoutError;
    }
    log.attempts.push({ at: new Date().toISOString(), status, answer, ms: Date.now() - started });
    log.accepted = status !== null && options.isAccepted(status, answer);
    if (!log.accepted && left > 0 && !(timedOut && options.noRetryAfterTimeout)) {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        void attempt(left - 1);
      }, options.retryDelayMs?.(options.retries - left + 1) ?? options.retryIntervalMs);
      timer.unref();
      pendingTimers.add(timer);
    }
  };
  await attempt(options.retries);
  return log;
}

/** Runs `fn` after `ms` in the background (scripted outcomes, expiry timers); stopped by stopTimers(). */
export function later(ms: number, fn: () => Promise<unknown> | unknown): void {
  const timer = setTimeout(() => {
    pendingTimers.delete(timer);
    void Promise.resolve().then(fn).catch(() => undefined);
  }, ms);
  timer.unref();
  pendingTimers.add(timer);
}

export function stopTimers(): void {
  for (const timer of pendingTimers) clearTimeout(timer);
  pendingTimers.clear();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
