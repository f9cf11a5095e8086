/** What an outgoing provider call answered; the body is kept as text because providers differ. */
export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export class HttpTimeoutError extends Error {}

/**
 * One outgoing HTTP call with a deadline. Never throws on an HTTP status:
 * providers put errors in 200 bodies and successes in 4xx bodies alike, so the
 * adapter reads the body first. Throws only on network failure or timeout.
 */
export async function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; redirect?: "follow" | "manual" | "error" } = {},
): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: options.redirect,
    });
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      throw new HttpTimeoutError(`no answer from ${new URL(url).host} within ${timeoutMs} ms`);
    }
    throw error;
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs?: number) {
  return httpRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
    timeoutMs,
  });
}
