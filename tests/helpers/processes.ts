import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import type { RunningStore } from "../../src/boot";
import { compose } from "../../src/composition-root";
import { Infrastructure } from "../../src/core/infrastructure";
import { createLogger } from "../../src/core/logger";
import { SandboxServer } from "../../src/sandbox/sandbox-server";
import { createSimulators } from "../../src/sandbox/simulators";
import { TEST_REDIS_PREFIX, recreateTestDatabase, siblingDatabaseUrl, testConfig } from "./env";

/**
 * Real OS processes for the fault tests: store processes started exactly as
 * production starts them (`node src/main.ts` with an environment), a private
 * redis-server that can be killed and restarted empty, and helpers to reach
 * both from the test process. Everything started here is killed when the
 * test process exits, whatever happens.
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
  role: "all" | "api" | "worker";
  /** MySQL and Redis of the store; every process of one store shares them */
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** anything else (SUPPLIER_*, SANDBOX_URL, PUBLIC_URL, ...) */
  env?: Record<string, string>;
}

/**
 * One `node -r ts-node/register/transpile-only src/main.ts` process. An api (or
 * all) process listens on a port chosen here, and is ready when GET /ready
 * answers 200; a worker is ready when it logs that it is up. Restarting keeps
 * the port, so other processes and simulators keep reaching it.
 */
export class StoreProcess {
  readonly port: number;
  readonly logs: string[] = [];
  private child?: ChildProcess;
  private exitedEarly?: string;

  private constructor(
    readonly options: StoreProcessOptions,
    port: number,
  ) {
    this.port = port;
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

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.options.name} is already running`);
    const { role, databaseUrl, redisUrl, redisPrefix, env = {} } = this.options;
    this.exitedEarly = undefined;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], {
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
    const collect = (stream: NodeJS.ReadableStream) => {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) this.logs.push(`[${this.options.name} ${child.pid}] ${line}`);
        if (this.logs.length > 20_000) this.logs.splice(0, this.logs.length - 20_000);
      });
    };
    collect(child.stdout!);
    collect(child.stderr!);
    child.once("exit", (code, signal) => {
      live.delete(child);
      this.exitedEarly = `exited with ${signal ?? `code ${code}`}`;
    });

    const deadline = Date.now() + timeoutMs;
    const logsBefore = this.logs.length;
    for (;;) {
      if (this.child !== child || this.exitedEarly) throw new Error(`${this.options.name} did not start (${this.exitedEarly}):\n${this.tail(40)}`);
      if (role === "worker") {
        if (this.logs.slice(logsBefore).some((line) => line.includes("Lapak worker is up"))) return;
      } else {
        const ready = await fetch(`${this.url}/ready`).then((r) => r.status === 200, () => false);
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
}

/**
 * A private redis-server child (no persistence: a restart comes back empty),
 * for tests that kill Redis under a running store without touching the
 * shared one.
 */
export class RedisServer {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
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

  /** SIGKILL: whatever it held is gone. */
  async kill(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGKILL", 0);
  }

  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, "SIGTERM", 5_000);
  }
}

// --- the test process's own view of a multi-process store ------------------------

let databaseReady: Promise<string> | undefined;

/**
 * The database of the process tests: a sibling of the test database, recreated
 * once per run, so the sweepers of the processes started here and those of the
 * other suites' stores never see each other's rows.
 */
export function processTestDatabase(): Promise<string> {
  databaseReady ??= (async () => {
    const url = siblingDatabaseUrl("procs");
    await recreateTestDatabase(url);
    return url;
  })();
  return databaseReady;
}

/** Deletes every key under a prefix (queues and caches left by an earlier run). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export const SHARED_REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const processPrefix = (name: string) => `${TEST_REDIS_PREFIX}_proc_${name}`;

/**
 * The services of a store built in the test process, WITHOUT an API or worker
 * of its own: for test set-up (catalog, payment methods, wallet funding) and
 * for reading the database. `url` and `sandboxUrl` point at the processes, so
 * the helpers that take a RunningStore talk to them.
 */
export async function controlStore(options: { databaseUrl: string; redisUrl: string; redisPrefix: string; url: string; sandboxUrl: string }): Promise<RunningStore> {
  const config = testConfig({ DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, REDIS_PREFIX: options.redisPrefix, APP_ROLE: "api", SANDBOX_SIMULATORS: "false" });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL || "error", format: "json" });
  const infra = await Infrastructure.connect(config, logger);
  const composition = await compose(infra, { baseUrl: options.sandboxUrl, storeUrl: () => options.url });
  return { infra, url: options.url, sandboxUrl: options.sandboxUrl, composition, stop: () => infra.close() };
}

/** The provider simulators hosted by the test process itself (no store in it), calling back `storeUrl()`. */
export async function startSimulators(storeUrl: () => string): Promise<{ url: string; stop(): Promise<void> }> {
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL || "error", format: "json" });
  const sandbox = new SandboxServer(createSimulators(testConfig(), logger, { storeUrl }), logger);
  const url = `http://127.0.0.1:${await sandbox.start(0)}`;
  return {
    url,
    stop: () => sandbox.stop(),
  };
}
