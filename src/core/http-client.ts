import * as http from "node:http";
import * as https from "node:https";

/** What an outgoing provider call answered; the body is kept as text because providers differ. */
export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export class HttpTimeoutError extends Error {}

// node:http rather than fetch: under load, undici's web streams and abort signals cost about
// three times the CPU per call. A keep-alive agent must drop an idle socket before the server
// does, or a call sent on it as the server closes it fails with ECONNRESET. Node 20's agent
// honours a server's "Keep-Alive: timeout=N" (dropping the socket a second before) only when
// the agent has an idle timeout of its own; 4 s is below Node's own 5 s and most servers' more.
const IDLE_SOCKET_MS = 4_000;
const transports = {
  "http:": { request: http.request, agent: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) },
  "https:": { request: https.request, agent: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }) },
};

/**
 * One outgoing HTTP call with a deadline (connect to the last byte of the
 * body). Never throws on an HTTP status: providers put errors in 200 bodies
 * and successes in 4xx bodies alike, so the adapter reads the body first. A
 * redirect is answered as it is, never followed. Throws only on network
 * failure or timeout.
 */
export function httpRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const target = new URL(url);
  const transport = transports[target.protocol as keyof typeof transports];
  if (!transport) return Promise.reject(new Error(`unsupported protocol ${target.protocol} in ${target.host}`));
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.body !== undefined) headers["content-length"] = Buffer.byteLength(options.body);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const method = options.method ?? (options.body === undefined ? "GET" : "POST");
    const request = transport.request(target, { method, headers, agent: transport.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: response.statusCode ?? 0, text, json: parseJson(text) });
      });
    });
    const timer = setTimeout(() => {
      const error = new HttpTimeoutError(`no answer from ${target.host} within ${timeoutMs} ms`);
      request.destroy(error);
      reject(error);
    }, timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    request.on("error", fail);
    request.end(options.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs?: number) {
  return httpRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
    timeoutMs,
  });
}
