import net from "node:net";

/**
 * A TCP fault proxy: placed between the app and a real server (MySQL, Redis,
 * a provider simulator), it forwards bytes untouched until told to misbehave.
 * It stands in for tc netem / Toxiproxy, which are not available everywhere:
 *
 * - `latency(ms, jitterMs)`  every chunk, both ways, arrives that much later (order kept)
 * - `stall(direction)`       bytes stop flowing ("up" = client → server, "down" = server → client,
 *                            "both"); they are held, not lost, and flow again on `unstall()`.
 *                            New connections are accepted but reach the server only then.
 * - `reset()`                every open connection is dropped with a TCP RST, both sides
 * - `refuse()`               stops listening: new connections get ECONNREFUSED; open ones live on
 * - `cut()` / `restore()`    refuse + reset, and back to a clean pass-through
 *
 * Used by `npm run drill` (drill/) and by tests; it never inspects what it carries.
 */
export type Direction = "up" | "down" | "both";

export interface FaultProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** listen on this port (0 = any free one); kept across refuse()/accept() */
  port?: number;
  /** shown in stats and errors */
  name?: string;
}

export interface FaultProxyStats {
  name: string;
  port: number;
  /** connections accepted since start */
  accepted: number;
  /** connections open now */
  open: number;
  /** connections this proxy reset (reset() and cut()) */
  resets: number;
  bytesUp: number;
  bytesDown: number;
  faults: string[];
}

interface Pending {
  at: number;
  chunk: Buffer;
}

/** One direction of one connection: a queue that delays and holds chunks, then writes them in order. */
class Pipe {
  private readonly queue: Pending[] = [];
  private timer?: NodeJS.Timeout;
  /** the source ended: end the target once the queue is written */
  private ending = false;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly direction: "up" | "down",
    private readonly target: () => net.Socket | undefined,
  ) {}

  push(chunk: Buffer): void {
    const last = this.queue.at(-1)?.at ?? 0;
    this.queue.push({ at: Math.max(Date.now() + this.proxy.delayFor(), last), chunk });
    this.pump();
  }

  pump(): void {
    if (this.timer) return;
    const socket = this.target();
    if (!socket || socket.destroyed || socket.connecting) return;
    while (this.queue.length > 0 && !this.proxy.isStalled(this.direction)) {
      const head = this.queue[0];
      const wait = head.at - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      this.proxy.count(this.direction, head.chunk.length);
      socket.write(head.chunk);
    }
    if (this.ending && this.queue.length === 0) socket.end();
  }

  /** The source half-closed: pass the FIN on after what is still queued. */
  end(): void {
    this.ending = true;
    this.pump();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

interface Connection {
  client: net.Socket;
  upstream?: net.Socket;
  up: Pipe;
  down: Pipe;
  closed: boolean;
}

export class FaultProxy {
  readonly name: string;
  private server?: net.Server;
  private listenPort: number;
  private readonly connections = new Set<Connection>();
  private latencyMs = 0;
  private jitterMs = 0;
  private stalledUp = false;
  private stalledDown = false;
  private refusing = false;
  private stopped = false;
  private readonly stats = { accepted: 0, resets: 0, bytesUp: 0, bytesDown: 0 };

  constructor(private readonly options: FaultProxyOptions) {
    this.name = options.name ?? `proxy→${options.targetHost ?? "127.0.0.1"}:${options.targetPort}`;
    this.listenPort = options.port ?? 0;
  }

  /** Starts listening on 127.0.0.1; returns the port. */
  async start(): Promise<number> {
    await this.listen();
    return this.listenPort;
  }

  get port(): number {
    return this.listenPort;
  }

  /** host:port of this proxy, for building URLs. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  // --- faults -------------------------------------------------------------------

  /** Every chunk (both ways) is delivered `ms` (± up to `jitterMs`) later; 0 turns it off. */
  latency(ms: number, jitterMs = 0): this {
    this.latencyMs = Math.max(0, ms);
    this.jitterMs = Math.max(0, jitterMs);
    return this;
  }

  /** Holds bytes in `direction` (and new connections' upstream connect) until unstall(). */
  stall(direction: Direction = "both"): this {
    if (direction !== "down") this.stalledUp = true;
    if (direction !== "up") this.stalledDown = true;
    return this;
  }

  /** Lets held bytes (and held connections) through, in order. */
  unstall(direction: Direction = "both"): this {
    if (direction !== "down") this.stalledUp = false;
    if (direction !== "up") this.stalledDown = false;
    for (const connection of this.connections) {
      if (!this.stalledUp && !connection.upstream && !connection.closed) this.connectUpstream(connection);
      connection.up.pump();
      connection.down.pump();
    }
    return this;
  }

  /** Drops every open connection with a TCP RST (both the client's and the server's side); returns how many. */
  reset(): number {
    let count = 0;
    for (const connection of [...this.connections]) {
      count += 1;
      this.close(connection, true);
    }
    this.stats.resets += count;
    return count;
  }

  /** Stops listening: connecting now fails with ECONNREFUSED. Open connections are not touched (see reset()). */
  async refuse(): Promise<void> {
    this.refusing = true;
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()).unref());
  }

  /** Listens again on the same port after refuse(). */
  async accept(): Promise<void> {
    this.refusing = false;
    if (!this.server && !this.stopped) await this.listen();
  }

  /** The server is unreachable: new connections refused, open ones reset. */
  async cut(): Promise<void> {
    const refusing = this.refuse();
    this.reset();
    await refusing;
  }

  /** Back to a clean pass-through: no latency, nothing stalled, listening. */
  async restore(): Promise<void> {
    this.latency(0);
    this.unstall("both");
    await this.accept();
  }

  /** The faults in force, in words (for drill reports). */
  describe(): string[] {
    const faults: string[] = [];
    if (this.latencyMs || this.jitterMs) faults.push(`latency ${this.latencyMs}±${this.jitterMs} ms`);
    if (this.stalledUp || this.stalledDown) faults.push(`stall ${this.stalledUp && this.stalledDown ? "both ways" : this.stalledUp ? "up" : "down"}`);
    if (this.refusing) faults.push("refusing");
    return faults;
  }

  snapshot(): FaultProxyStats {
    return { name: this.name, port: this.listenPort, ...this.stats, open: this.connections.size, faults: this.describe() };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.refuse();
    for (const connection of [...this.connections]) this.close(connection, false);
  }

  // --- plumbing (used by Pipe) --------------------------------------------------

  /** @internal */
  delayFor(): number {
    if (!this.latencyMs && !this.jitterMs) return 0;
    return this.latencyMs + (this.jitterMs ? Math.floor(Math.random() * (this.jitterMs + 1)) : 0);
  }

  /** @internal */
  isStalled(direction: "up" | "down"): boolean {
    return direction === "up" ? this.stalledUp : this.stalledDown;
  }

  /** @internal */
  count(direction: "up" | "down", bytes: number): void {
    if (direction === "up") this.stats.bytesUp += bytes;
    else this.stats.bytesDown += bytes;
  }

  private async listen(): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true }, (client) => this.onClient(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.listenPort, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.listenPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  private onClient(client: net.Socket): void {
    if (this.refusing) return void client.resetAndDestroy();
    this.stats.accepted += 1;
    const connection: Connection = {
      client,
      closed: false,
      up: new Pipe(this, "up", () => connection.upstream),
      down: new Pipe(this, "down", () => client),
    };
    this.connections.add(connection);
    client.setNoDelay(true);
    client.on("data", (chunk: Buffer) => connection.up.push(chunk));
    client.on("end", () => connection.up.end());
    client.on("error", () => this.close(connection, true));
    client.on("close", () => this.settle(connection));
    if (!this.stalledUp) this.connectUpstream(connection);
  }

  private connectUpstream(connection: Connection): void {
    const upstream = net.connect({ port: this.options.targetPort, host: this.options.targetHost ?? "127.0.0.1", allowHalfOpen: true });
    connection.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on("connect", () => connection.up.pump());
    upstream.on("data", (chunk: Buffer) => connection.down.push(chunk));
    upstream.on("end", () => connection.down.end());
    upstream.on("error", () => this.close(connection, true));
    upstream.on("close", () => this.settle(connection));
  }

  /** A side closed normally: forget the connection once both are gone (queued bytes were flushed by end()). */
  private settle(connection: Connection): void {
    const { client, upstream } = connection;
    if (!upstream) return this.close(connection, false); // the client left before the server was reached
    if (client.destroyed && upstream.destroyed) this.close(connection, false);
  }

  private close(connection: Connection, abort: boolean): void {
    if (connection.closed) return;
    connection.closed = true;
    this.connections.delete(connection);
    connection.up.clear();
    connection.down.clear();
    for (const socket of [connection.client, connection.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (abort && !socket.connecting) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
