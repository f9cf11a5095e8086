import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import type { DataSource } from "typeorm";
import { createDataSource, ensureDatabase } from "../../src/core/database";
import { FaultProxy } from "../../src/ops/fault-proxy";
import type { AppRole } from "../../src/core/config";
import { RedisServer, StoreProcess, freePort, startSimulators } from "./processes";
import { DEMO_PASSWORD, login, type Account } from "./workload";

/**
 * The store a drill runs against: an api, a webhooks and a worker process
 * (`src/main.ts`, APP_ROLE api / webhooks / worker) on a fresh database, a private
 * redis-server, and the provider simulators hosted by the drill process
 * itself (so their memory — what was bought, what was paid — survives every
 * store process the drills kill). The app reaches MySQL, Redis and the
 * simulators through fault proxies (straight while a drill asks for it:
 * useProxies); the drill reaches them directly.
 *
 *   api, webhooks, worker ──► proxies.mysql   ──► MySQL :3306 (database lapak_drill…)
 *                         ──► proxies.redis   ──► redis-server (private, no persistence)
 *                         ──► proxies.sandbox ──► simulators (in the drill process)
 *   simulators ──► webhooks (CALLBACK_URL: payment callbacks, supplier webhooks)
 */
export interface DrillStoreOptions {
  /** MySQL database URL (recreated); default mysql://root@127.0.0.1:3306/lapak_drill */
  databaseUrl?: string;
  redisPrefix?: string;
  /** where the processes' logs go */
  logDir?: string;
  /** extra environment for both store processes */
  env?: Record<string, string>;
}

/** Store settings that make recovery happen in seconds rather than minutes (the mechanisms are the production ones). */
export const DRILL_ENV: Record<string, string> = {
  DATABASE_POOL_SIZE: "8",
  JOB_STALLED_AFTER_MS: "5000",
  AFTER_COMMIT_WAIT_MS: "250",
  // a drill on a slow machine outlasts the 15-min default; token expiry is not what the drills test
  JWT_ACCESS_TTL_SECONDS: "7200",
  DIGIFLAZZ_TIMEOUT_MS: "3000",
  SUPPLIER_LEASE_MARGIN_MS: "1000",
  SUPPLIER_RECHECK_MIN_MS: "500",
  SUPPLIER_RECHECK_MAX_MS: "4000",
  SUPPLIER_SWEEP_EVERY_MS: "1000",
  SUPPLIER_STUCK_AFTER_MS: "1500",
  SUPPLIER_RESULT_RETRY_MS: "500",
  SUPPLIER_CONCURRENCY: "10",
  FULFILMENT_RECONCILE_EVERY_MS: "5000",
  REFUND_SWEEP_EVERY_MS: "1000",
  REFUND_SWEEP_GRACE_MS: "2000",
  TRIPAY_TIMEOUT_MS: "5000",
  MIDTRANS_TIMEOUT_MS: "5000",
  PAYMENT_POLL_AFTER_SECONDS: "10",
  PAYMENT_POLL_EVERY_SECONDS: "5",
  RESELLER_WEBHOOK_SWEEP_INTERVAL_MS: "2000",
};

export class DrillStore {
  api!: StoreProcess;
  /** the callback intake (CALLBACK_URL), as a production store runs it beside the api */
  webhooks!: StoreProcess;
  worker!: StoreProcess;
  redisServer!: RedisServer;
  proxies!: { mysql: FaultProxy; redis: FaultProxy; sandbox: FaultProxy };
  /** the drill's own connections (not through the proxies) */
  db!: DataSource;
  redis!: Redis;
  admin!: Account;
  /** the simulators, reached directly */
  sandboxUrl!: string;
  readonly databaseUrl: string;
  readonly redisPrefix: string;
  readonly logDir: string;
  private sandbox?: { stop(): Promise<void> };
  /** the environment of every store process of this store, and the ports of those serving HTTP */
  private env: Record<string, string> = {};
  private ports = { api: 0, webhooks: 0 };
  /** whether the store processes reach MySQL, Redis and the simulators through the fault proxies */
  private proxied = true;
  private readonly extras: StoreProcess[] = [];

  private constructor(private readonly options: DrillStoreOptions) {
    this.databaseUrl = options.databaseUrl ?? process.env.DRILL_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/lapak_drill";
    this.redisPrefix = options.redisPrefix ?? "lapak_drill";
    this.logDir = options.logDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "lapak-drill-"));
  }

  static async start(options: DrillStoreOptions = {}): Promise<DrillStore> {
    const store = new DrillStore(options);
    try {
      await store.boot();
    } catch (error) {
      await store.stop();
      throw error;
    }
    return store;
  }

  get url(): string {
    return this.api.url;
  }

  /** where providers call the store back: the webhooks process (CALLBACK_URL) */
  private get callbackUrl(): string {
    return `http://127.0.0.1:${this.ports.webhooks}`;
  }

  private async boot(): Promise<void> {
    fs.mkdirSync(this.logDir, { recursive: true });
    // a fresh database with every migration applied, before any store process connects
    const target = await ensureDatabase(this.databaseUrl, { recreate: true });
    this.db = await createDataSource(target, 6).initialize();
    await this.db.runMigrations({ transaction: "each" });

    this.redisServer = await RedisServer.start();
    this.redis = new Redis(this.redisServer.url, { maxRetriesPerRequest: 1 });
    this.redis.on("error", () => undefined);

    const simulators = await startSimulators(() => this.callbackUrl, "error");
    this.sandbox = simulators;
    this.sandboxUrl = simulators.url;
    const sandboxPort = simulators.port;

    const mysql = new URL(this.databaseUrl);
    this.proxies = {
      mysql: new FaultProxy({ name: "mysql", targetPort: Number(mysql.port || 3306), targetHost: mysql.hostname }),
      redis: new FaultProxy({ name: "redis", targetPort: this.redisServer.port }),
      sandbox: new FaultProxy({ name: "sandbox", targetPort: sandboxPort }),
    };
    for (const proxy of Object.values(this.proxies)) await proxy.start();

    this.ports = { api: await freePort(), webhooks: await freePort() };
    this.env = {
      ...DRILL_ENV,
      SANDBOX_SIMULATORS: "false",
      PUBLIC_URL: `http://127.0.0.1:${this.ports.api}`,
      CALLBACK_URL: this.callbackUrl,
      ...this.options.env,
    };
    // the api seeds the demo store (accounts, catalog, payment methods); the others start on it
    this.api = await this.launch("api", "api", { PORT: String(this.ports.api), SEED_DEMO: "true" });
    await this.launchOthers();
    this.admin = await login(this.url, "admin@lapak.test", DEMO_PASSWORD);
    // a deposit at the supplier no drill can spend
    await this.sim("digiflazz", "/deposit", { deposit: 1_000_000_000_000 });
  }

  /** Another api process of the same store (a second replica); stopped by stop() unless the caller disposes of it. */
  async startExtraApi(name: string): Promise<StoreProcess> {
    const extra = await this.launch(name, "api");
    this.extras.push(extra);
    return extra;
  }

  /**
   * Restarts the store's processes reaching MySQL, Redis and the simulators
   * straight (false) or through the fault proxies (true: the default, and
   * what heal() comes back to). For a drill that injects no network fault and measures latency:
   * the proxies run on the drill's own event loop, beside the simulators and
   * the drill's clients, and are no part of a production store; under load
   * they were the queue the store's statements waited in.
   */
  async useProxies(on: boolean): Promise<void> {
    if (this.proxied === on) return;
    for (const proc of [this.worker, this.webhooks, this.api]) await proc.dispose();
    this.api = await this.launch("api", "api", { PORT: String(this.ports.api) }, on);
    await this.launchOthers(on);
    // only now: a launch that failed leaves the old mode, so the next heal() starts them all again
    this.proxied = on;
  }

  private async launchOthers(proxied = this.proxied): Promise<void> {
    this.webhooks = await this.launch("webhooks", "webhooks", { PORT: String(this.ports.webhooks) }, proxied);
    this.worker = await this.launch("worker", "worker", {}, proxied);
  }

  /** One store process of this store, its log in logDir/<name>.log. */
  private launch(name: string, role: AppRole, env: Record<string, string> = {}, proxied = this.proxied): Promise<StoreProcess> {
    const mysql = new URL(this.databaseUrl);
    if (proxied) [mysql.hostname, mysql.port] = ["127.0.0.1", String(this.proxies.mysql.port)];
    return StoreProcess.start({
      name,
      role,
      databaseUrl: mysql.toString(),
      redisUrl: proxied ? `redis://${this.proxies.redis.address}` : this.redisServer.url,
      redisPrefix: this.redisPrefix,
      env: { SANDBOX_URL: proxied ? `http://${this.proxies.sandbox.address}` : this.sandboxUrl, ...this.env, SEED_DEMO: "false", ...env },
      logFile: path.join(this.logDir, `${name}.log`),
    });
  }

  /** POST to a simulator's control API (/<provider>/__sim/<path>). */
  async sim(provider: string, pathname: string, body: unknown = {}): Promise<any> {
    const response = await fetch(`${this.sandboxUrl}/${provider}/__sim${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${provider} ${pathname}: ${response.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : null;
  }

  async simGet(provider: string, pathname: string): Promise<any> {
    const response = await fetch(`${this.sandboxUrl}/${provider}/__sim${pathname}`);
    return response.json();
  }

  /** Clears every simulator fault (endpoints and callbacks). */
  async clearSimFaults(): Promise<void> {
    for (const provider of ["digiflazz", "tripay", "midtrans", "duitku", "tokopay", "xendit"]) {
      await fetch(`${this.sandboxUrl}/${provider}/__sim/faults`, { method: "DELETE" }).catch(() => undefined);
    }
  }

  /** The Digiflazz simulator's purchases, by ref_id. */
  async supplierTransactions(): Promise<Map<string, { ref_id: string; status: string; sn: string; requests: number; price: number }>> {
    const body = (await this.simGet("digiflazz", "/transactions")) as { transactions: { ref_id: string; status: string; sn: string; requests: number; price: number }[] };
    return new Map(body.transactions.map((tx) => [tx.ref_id, tx]));
  }

  async query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(sql, params)) as T[];
  }

  /** A variant id by SKU (the demo catalog's ML86, ...). */
  async variantId(sku: string): Promise<string> {
    const [row] = await this.query<{ id: string }>("SELECT id FROM product_variants WHERE sku = ?", [sku]);
    if (!row) throw new Error(`no variant ${sku}`);
    return row.id;
  }

  /**
   * Starts a store process again the way a supervisor would: a process that
   * cannot boot yet (its MySQL or Redis is away) is tried again until `withinMs`.
   */
  async revive(proc: StoreProcess, withinMs = 90_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      if (proc.running) return;
      try {
        return await proc.start();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** Back to normal between drills: proxies clean, simulators without faults, every store process up. */
  async heal(): Promise<void> {
    for (const proxy of Object.values(this.proxies)) await proxy.restore();
    if (!this.redisServer.running) await this.redisServer.start();
    await this.useProxies(true);
    await this.clearSimFaults();
    await this.revive(this.api);
    await this.revive(this.webhooks);
    await this.revive(this.worker);
  }

  async stop(): Promise<void> {
    for (const proc of [...this.extras, this.worker, this.webhooks, this.api]) await proc?.dispose().catch(() => undefined);
    for (const proxy of Object.values(this.proxies ?? {})) await proxy.stop().catch(() => undefined);
    await this.sandbox?.stop().catch(() => undefined);
    this.redis?.disconnect();
    await this.redisServer?.stop().catch(() => undefined);
    if (this.db?.isInitialized) await this.db.destroy();
  }
}
