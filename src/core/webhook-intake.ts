import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import proxyAddr from "proxy-addr";
import getRawBody from "raw-body";
import type { Logger } from "./logger";
import { maskInternalError } from "./errors";
import { currentScope } from "./request-context";

/** One provider callback as it arrived: the exact bytes, for signatures. */
export interface WebhookRequest {
  /** The path segment after /webhooks, lower case: "tripay", "digiflazz". */
  provider: string;
  /** The path after /webhooks/<provider>, e.g. "/invoice" for Xendit; "" for none. */
  subPath: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The sender's address (X-Forwarded-For is honoured from loopback, as for GraphQL). */
  ip: string;
}

export interface WebhookAnswer {
  status: number;
  /** Sent as JSON. */
  body: unknown;
}

/** A module's callback endpoint under POST /webhooks/<provider>[/<sub-path>]. */
export interface WebhookEndpoint {
  /** Whether this endpoint answers for this provider and sub-path. */
  accepts(provider: string, subPath: string): boolean;
  receive(request: WebhookRequest): Promise<WebhookAnswer>;
}

const BODY_LIMIT = "1mb";
const PREFIX = "/webhooks/";
const trustLoopback = proxyAddr.compile("loopback");
const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** The request's path, without its query. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** Whether the callback intake serves this request (the rest goes to Express). */
export function isWebhookRequest(req: IncomingMessage, path = pathOf(req)): boolean {
  return req.method === "POST" && path.startsWith(PREFIX);
}

/**
 * The callback intake on plain node:http. Anyone can call it, and a flood of
 * forgeries is mostly HTTP work: Express's routing and middleware would cost
 * about as much again per request (measured in docs/performance.md, step 9).
 */
export async function serveWebhook(endpoints: WebhookEndpoint[], req: IncomingMessage, res: ServerResponse, logger: Logger, path = pathOf(req)): Promise<void> {
  let segments: string[];
  try {
    segments = path.slice(PREFIX.length).split("/").filter((segment) => segment.length > 0).map(decodeURIComponent);
  } catch {
    return send(res, 400, { error: "malformed path" });
  }
  const provider = (segments[0] ?? "").toLowerCase();
  const subPath = segments.slice(1).map((segment) => `/${segment}`).join("");
  const endpoint = isWebhookRequest(req, path) ? endpoints.find((candidate) => candidate.accepts(provider, subPath)) : undefined;
  if (!endpoint) {
    req.resume();
    return send(res, 404, { error: "not found", path });
  }
  let rawBody: Buffer;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    const { status, type } = error as { status?: number; type?: string };
    const code = type === "entity.too.large" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
    return send(res, status ?? 400, { errors: [{ message: (error as Error).message, extensions: { code } }] });
  }
  try {
    const answer = await endpoint.receive({ provider, subPath, headers: req.headers, rawBody, ip: proxyAddr(req, trustLoopback) });
    send(res, answer.status, answer.body);
  } catch (error) {
    // not stored: a 5xx makes the provider deliver again
    send(res, 500, { errors: [maskInternalError(logger, error, currentScope()?.requestId)] });
  }
}

/** The body as sent, decompressed when the sender compressed it. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "identity") return getRawBody(req, { limit: BODY_LIMIT, length: req.headers["content-length"] });
  const decoder = DECODERS[encoding];
  if (!decoder) {
    req.resume();
    return Promise.reject(Object.assign(new Error(`unsupported content encoding "${encoding}"`), { status: 415, type: "encoding.unsupported" }));
  }
  const stream: Readable = req.pipe(decoder());
  req.on("error", (error) => stream.destroy(error));
  return getRawBody(stream, { limit: BODY_LIMIT });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(json) });
  res.end(json);
}
