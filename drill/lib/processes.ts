import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { loadConfig, type AppRole } from "../../src/core/config";
import { createLogger } from "../../src/core/logger";
import { SandboxServer } from "../../src/sandbox/sandbox-server";
import { createSimulators } from "../../src/sandbox/simulators";

/**
 * Real OS processes for the fault drills (drill/) and the process-level fault
 * tests (tests/faults/, through tests/helpers/processes.ts): store processes
 * started exactly as production starts them (`node src/main.ts` with an
 * environment), a private redis-server that can be killed or shut down
 * without saving and started again empty, and the provider simulators hosted
 * by the calling process. Everything started here is killed when this
 * process exits, whatever happens.
 */

const ROOT = path.resolve(__dirname, "../..");
const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Sends `signal`, waits for the exit; SIGKILL after `graceMs` if it is still there. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
  live.delete(child);
}

export interface StoreProcessOptions {
  /** shown in logs and failures */
  name: string;
  role: AppRole;
  /** MySQL and Redis of the store; every process of one store shares them */
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** anything else (SUPPLIER_*, SANDBOX_URL, PUBLIC_URL, SEED_DEMO, ...) */
  env?: Record<string, string>;
  /** also append every line the process prints to this file */
  logFile?: string;
}

/**
 * One `node -r ts-node/register/transpile-only src/main.ts` process. An api,
 * webhooks or all process listens on a port chosen here, and is ready when GET /ready
 * answers 200; a worker is ready when it logs that it is up. Restarting keeps
 * the port, so other processes and simulators keep reaching it.
 */
export class StoreProcess {
  readonly port: number;
  readonly logs: string[] = [];
  private child?: ChildProcess;
  private exitedEarly?: string;
  private logStream?: fs.WriteStream;

  private constructor(
    readonly options: StoreProcessOptions,
    port: number,
  ) {
    this.port = port;
    if (options.logFile) this.logStream = fs.createWriteStream(options.logFile, { flags: "a" });
  }

  static async start(options: StoreProcessOptions): Promise<StoreProcess> {
    const store = new StoreProcess(options, options.role === "worker" ? 0 : Number(options.env?.PORT ?? (await freePort())));
    await store.start();
    return store;
  }

  get url(): string {
    if (this.options.role === "worker") throw new Error(`${this.options.name} is a worker: it serves no HTTP`);
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    if (this.running) throw new Error(`${this.options.name} is already running`);
    const { role, databaseUrl, redisUrl, redisPrefix, env = {} } = this.options;
    this.exitedEarly = undefined;
    const child = spawn(process.execPath, [...(process.env.DRILL_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.DRILL_CPU_PROF}`] : []), "-r", "ts-node/register/transpile-only", "src/main.ts"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? os.tmpdir(),
        NODE_ENV: "test",
        APP_ROLE: role,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: "4",
        REDIS_URL: redisUrl,
        REDIS_PREFIX: redisPrefix,
        SEED_DEMO: "false",
        LOG_LEVEL: process.env.TEST_PROCESS_LOG_LEVEL || "info",
        LOG_FORMAT: "json",
        SHUTDOWN_TIMEOUT_MS: "5000",
        CATALOG_SYNC_INTERVAL_MINUTES: "0",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(child);
    this.note(`--- started pid ${child.pid} (${role})`);
    const collect = (stream: NodeJS.ReadableStream) => {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) this.note(line, child.pid);
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    child.once("exit", (code, signal) => {
      live.delete(child);
      this.exitedEarly = `exited with ${signal ?? `code ${code}`}`;
      this.note(`--- pid ${child.pid} ${this.exitedEarly}`);
    });

    const deadline = Date.now() + timeoutMs;
    const logsBefore = this.logs.length;
    for (;;) {
      if (this.child !== child || this.exitedEarly) throw new Error(`${this.options.name} did not start (${this.exitedEarly}):\n${this.tail(40)}`);
      if (role === "worker") {
        if (this.logs.slice(logsBefore).some((line) => line.includes("Lapak worker is up"))) return;
      } else {
        const ready = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false);
        if (ready) return;
      }
      if (Date.now() > deadline) {
        await terminate(child, "SIGKILL", 0);
        throw new Error(`${this.options.name} was not ready within ${timeoutMs} ms:\n${this.tail(40)}`);
      }
      await sleep(100);
    }
  }

  /** kill -9: no shutdown code runs, in-flight requests and jobs are abandoned. */
  async kill(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGKILL", 0);
  }

  /** SIGTERM (the graceful shutdown), SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGTERM", 10_000);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the process and closes its log file. */
  async dispose(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => (this.logStream ? this.logStream.end(resolve) : resolve()));
    this.logStream = undefined;
  }

  /** Whether the process exited on its own (a crash), and how. */
  get crashed(): string | undefined {
    return this.exitedEarly;
  }

  /** Lines logged since `from` (an index into logs) that contain `text`. */
  logged(text: string, from = 0): string[] {
    return this.logs.slice(from).filter((line) => line.includes(text));
  }

  tail(lines = 60): string {
    return this.logs.slice(-lines).join("\n");
  }

  private note(line: string, pid?: number): void {
    const entry = `[${this.options.name}${pid ? ` ${pid}` : ""}] ${line}`;
    this.logs.push(entry);
    if (this.logs.length > 20_000) this.logs.splice(0, this.logs.length - 20_000);
    this.logStream?.write(`${entry}\n`);
  }
}

/**
 * A private redis-server child (no persistence: a restart comes back empty),
 * so a drill can take Redis away under a running store without touching the
 * shared one.
 */
export class RedisServer {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", os.tmpdir()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(child);
    child.once("exit", () => live.delete(child));
    for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => undefined);
      const pong = await client.connect().then(() => client.ping(), () => null);
      client.disconnect();
      if (pong === "PONG") return;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start: ${this.output.join("")}`);
      await sleep(50);
    }
  }

  /** `SHUTDOWN NOSAVE`: Redis goes away and whatever it held is gone (SIGKILL if it does not). */
  async shutdownNoSave(): Promise<void> {
    if (!this.child || !this.running) return;
    const child = this.child;
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    await client.connect().then(() => client.call("SHUTDOWN", "NOSAVE"), () => undefined).catch(() => undefined);
    client.disconnect();
    await Promise.race([exited(child), sleep(3_000)]);
    await terminate(child, "SIGKILL", 0);
  }

  /** SIGKILL: whatever it held is gone. */
  async kill(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGKILL", 0);
  }

  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGTERM", 5_000);
  }
}

/**
 * The provider simulators hosted by this process (no store in it), calling
 * back `storeUrl()`; their memory (what was bought, paid, sent) outlives every
 * store process the caller kills.
 */
export async function startSimulators(storeUrl: () => string, logLevel = process.env.TEST_LOG_LEVEL || "error"): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const logger = createLogger({ level: logLevel, format: "json" });
  const sandbox = new SandboxServer(createSimulators(loadConfig({ NODE_ENV: "test", LOG_LEVEL: logLevel }), logger, { storeUrl }), logger);
  const port = await sandbox.start(0);
  return { url: `http://127.0.0.1:${port}`, port, stop: () => sandbox.stop() };
}
