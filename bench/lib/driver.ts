import net from "node:net";
import { summarise, type Summary } from "./stats";

/** One GraphQL POST: the JSON body and extra headers (e.g. authorization). */
export interface LoadRequest {
  body: string;
  headers?: Record<string, string>;
}

/** What a response means: "ok", an expected refusal ("expected:<code>"), or an unexpected error ("error:<code>"). */
export type Outcome = "ok" | `expected:${string}` | `error:${string}`;

export interface LoadOptions {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** HTTP/1.1 keep-alive connections, one request in flight on each */
  connections: number;
  /**
   * Requests per second (open model): request i is due at start + i/rate and its
   * latency counts from then, so a slow server is not hidden by the driver waiting
   * for it. Omitted: closed model, each connection sends again as soon as it has its answer.
   */
  rate?: number;
  seconds: number;
  /** The same load first, not recorded. */
  warmupSeconds?: number;
  /** Request number i (counted across warm-up and measurement). */
  next: (i: number) => LoadRequest;
  classify?: (status: number, body: string) => Outcome;
}

export interface LoadResult extends Summary {
  mode: string;
  /** open model: requests due but never sent when the time was up (counted as errors, latency = time waited) */
  dropped: number;
  /** count per outcome other than "ok" */
  outcomes: Record<string, number>;
}

/** Default reading of a GraphQL answer: 200 without `errors` is ok; otherwise the error code. */
export function graphqlOutcome(status: number, body: string): Outcome {
  if (status === 200 && !body.includes('"errors"')) return "ok";
  const code = /"code":"([A-Z_]+)"/.exec(body)?.[1];
  return `error:${code ?? `HTTP_${status}`}`;
}

/** Runs a load against one URL and summarises it (warm-up first when asked). */
export async function drive(options: LoadOptions): Promise<LoadResult> {
  let counter = 0;
  const next = (i: number) => options.next(i);
  const numbered = (): LoadRequest => next(counter++);
  if (options.warmupSeconds && options.warmupSeconds > 0) await runPhase({ ...options, seconds: options.warmupSeconds }, numbered);
  return runPhase(options, numbered);
}

async function runPhase(options: LoadOptions, nextRequest: () => LoadRequest): Promise<LoadResult> {
  const target = new URL(options.url);
  const classify = options.classify ?? graphqlOutcome;
  const pool = await Promise.all(Array.from({ length: options.connections }, () => Connection.open(target)));
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let ok = 0;
  let completedInWindow = 0;
  const start = performance.now();
  const end = start + options.seconds * 1000;

  const record = (scheduled: number, status: number, body: string) => {
    const now = performance.now();
    latencies.push(now - scheduled);
    if (now <= end) completedInWindow += 1;
    const outcome = classify(status, body);
    if (outcome === "ok") ok += 1;
    else outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const send = async (connection: Connection, scheduled: number) => {
    const request = nextRequest();
    try {
      const answer = await connection.post(target, request);
      record(scheduled, answer.status, answer.body);
    } catch (error) {
      record(scheduled, 0, `{"errors":[{"extensions":{"code":"${socketCode(error)}"}}]}`);
    }
  };

  let dropped = 0;
  if (options.rate === undefined) {
    await Promise.all(
      pool.map(async (connection) => {
        while (performance.now() < end) await send(connection, performance.now());
      }),
    );
  } else {
    const interval = 1000 / options.rate;
    const idle = [...pool];
    const due: number[] = [];
    let scheduled = 0;
    let inFlight = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        const now = performance.now();
        while (now < end && start + scheduled * interval <= now) due.push(start + scheduled++ * interval);
        while (due.length > 0 && idle.length > 0) {
          const connection = idle.pop()!;
          inFlight += 1;
          void send(connection, due.shift()!).then(() => {
            inFlight -= 1;
            idle.push(connection);
            pump();
          });
        }
        if (now >= end) {
          // time is up: what is still waiting for a connection was due and never sent
          for (const at of due.splice(0)) {
            latencies.push(now - at);
            dropped += 1;
          }
          if (inFlight === 0) resolve();
          return;
        }
        if (!timer) timer = setTimeout(tick, Math.max(0, Math.min(interval, start + scheduled * interval - performance.now())));
      };
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        timer = undefined;
        pump();
      };
      pump();
    });
  }
  for (const connection of pool) connection.close();

  if (dropped > 0) outcomes["error:DROPPED"] = dropped;
  const mode = options.rate === undefined ? `closed, ${options.connections} conn` : `${Math.round(options.rate)}/s, <=${options.connections} conn`;
  return { mode, dropped, outcomes, ...summarise(latencies, completedInWindow, ok, options.seconds) };
}

function socketCode(error: unknown): string {
  const code = (error as { code?: string }).code;
  return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "SOCKET_ERROR";
}

/**
 * One keep-alive HTTP/1.1 connection over a raw socket: much cheaper per
 * request than node:http or fetch, so the driver is not what limits a run.
 * Reads Content-Length and chunked bodies; reconnects when the server closes.
 */
class Connection {
  private socket!: net.Socket;
  private chunks: Buffer[] = [];
  private waiting?: { resolve: (answer: { status: number; body: string }) => void; reject: (error: Error) => void };

  static async open(target: URL): Promise<Connection> {
    const connection = new Connection();
    await connection.connect(target);
    return connection;
  }

  private connect(target: URL): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(target.port || 80), target.hostname);
      socket.setNoDelay(true);
      socket.once("connect", () => resolve());
      // events of a socket we already replaced are not about the current request
      const current = () => socket === this.socket;
      socket.once("error", (error) => {
        reject(error);
        if (current()) this.fail(error);
      });
      socket.on("data", (chunk: Buffer) => current() && this.onData(chunk));
      socket.once("close", () => current() && this.fail(Object.assign(new Error("connection closed"), { code: "ECONNRESET" })));
      this.socket = socket;
      this.chunks = [];
    });
  }

  async post(target: URL, request: LoadRequest): Promise<{ status: number; body: string }> {
    if (this.socket.destroyed) await this.connect(target);
    const body = Buffer.from(request.body);
    let head = `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
    for (const [name, value] of Object.entries(request.headers ?? {})) head += `${name}: ${value}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(Buffer.concat([Buffer.from(`${head}\r\n`), body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [data];
    const headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const head = data.subarray(0, headerEnd).toString("latin1");
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let used: number;
    if (length) {
      used = headerEnd + 4 + Number(length[1]);
      if (data.length < used) return;
      body = data.subarray(headerEnd + 4, used).toString();
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = headerEnd + 4;
      for (;;) {
        const lineEnd = data.indexOf("\r\n", at);
        if (lineEnd < 0) return;
        const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
        if (data.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          used = lineEnd + 4;
          break;
        }
        parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString();
    } else {
      return; // no framing: wait for more (never seen from express)
    }
    this.chunks = data.length > used ? [data.subarray(used)] : [];
    if (/\r\nconnection:\s*close/i.test(head)) this.socket.destroy();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status, body });
  }
}
