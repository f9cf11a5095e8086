import "reflect-metadata";
import { ulid } from "ulid";
import { loadConfig, type AppConfig } from "../../src/core/config";
import { createLogger } from "../../src/core/logger";
import { Infrastructure } from "../../src/core/infrastructure";
import { compose, type Composition } from "../../src/composition-root";
import { CategoryType, FileFormat, FulfilmentKind, ImportMode, InputFieldType } from "../../src/modules/catalog/catalog.enums";
import { FeeBearer } from "../../src/modules/payments/payment-method.entity";
import { BalanceMutationType } from "../../src/modules/wallet/balance-mutation.entity";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { UserRole } from "../../src/modules/identity/user-role.entity";
import { Role } from "../../src/modules/identity/role";
import { Child, freePort, sleep } from "./processes";

const IDLE_SETTLE_MS = 3000;
/**
 * An API process drains in milliseconds on SIGTERM but then waits out
 * SHUTDOWN_TIMEOUT_MS: Apollo's own SIGTERM handler and main.ts's both call
 * ApolloServer.stop(), and the second call never returns (Apollo 5.5.1 does
 * not resolve its stop barrier on success). The bench does not wait for that.
 */
const API_STOP_GRACE_MS = 3000;

/** Settings every process of the bench store shares: production mode, no demo seed, no scheduled supplier sync. */
function storeEnv(database: string, prefix: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    JWT_SECRET: "bench-only-secret-0000000000000000000",
    JWT_ACCESS_TTL_SECONDS: "3600", // the whole run on one sign-in
    ENCRYPTION_KEY: "0".repeat(63) + "1",
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "info", // the production default: http access lines are below it
    LOG_FORMAT: "json",
    SEED_DEMO: "false",
    BCRYPT_COST: "4", // sign-ups while seeding; not measured
    CATALOG_SYNC_INTERVAL_MINUTES: "0", // the supplier's price list must not rewrite the bench catalog mid-run
  };
}

export interface Member {
  id: string;
  token: string;
}

/**
 * The store under test, as in production: one API process and one worker
 * process (which also hosts the sandbox providers, answering without
 * artificial delay), both src/main.ts (compiled, or under ts-node: `main` is
 * the node arguments) on a database recreated for the run. The bench process
 * keeps its own connections and services (no HTTP server, no worker) to seed and check.
 */
export class BenchStore {
  /** every API process started in this run (a scenario may restart it with other settings) */
  readonly apiProcesses: Child[] = [];
  api!: Child;
  worker!: Child;
  /** resident memory (MB) a few seconds after boot, before any load: the first API process and the worker */
  readonly idle: { apiMb?: number; workerMb?: number } = {};
  readonly url: string;
  private apiSettings = "";
  private readonly memo = new Map<string, Promise<unknown>>();

  private constructor(
    readonly database: string,
    readonly env: Record<string, string>,
    readonly infra: Infrastructure,
    readonly composition: Composition,
    private readonly apiPort: number,
    private readonly main: string[],
    /** node flags of the API and worker processes, e.g. --cpu-prof */
    private readonly nodeFlags: string[],
  ) {
    this.url = `http://127.0.0.1:${apiPort}`;
  }

  static async start(database: string, main: string[], nodeFlags: string[] = [], prefix = database): Promise<BenchStore> {
    const [apiPort, sandboxPort] = [await freePort(), await freePort()];
    const env = {
      ...storeEnv(database, prefix),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    };
    const config: AppConfig = loadConfig({ ...process.env, ...env, PORT: "0", LOG_LEVEL: "error" });
    const infra = await Infrastructure.connect(config, createLogger({ level: "error", format: "json" }), { recreateDatabase: true });
    const composition = await compose(infra, { baseUrl: env.SANDBOX_URL, storeUrl: () => env.PUBLIC_URL });
    await infra.migrate();
    const store = new BenchStore(database, env, infra, composition, apiPort, main, nodeFlags);
    store.worker = Child.node("worker", [...nodeFlags, ...main], { ...env, APP_ROLE: "worker", SANDBOX_SIMULATORS: "true", PORT: String(apiPort) });
    await store.worker.waitForLine(/Lapak worker is up/);
    await store.startApi();
    await sleep(IDLE_SETTLE_MS);
    store.idle.apiMb = store.api.rssMb();
    store.idle.workerMb = store.worker.rssMb();
    return store;
  }

  /** a profiled process writes its profile when it exits by itself: give it the whole shutdown timeout */
  private get apiStopGraceMs(): number {
    return this.nodeFlags.length > 0 ? 20_000 : API_STOP_GRACE_MS;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** (Re)starts the API process when it is not running with exactly these extra settings. */
  async startApi(extra: Record<string, string> = {}): Promise<Child> {
    const settings = JSON.stringify(extra);
    if (this.api?.alive && settings === this.apiSettings) return this.api;
    if (this.api?.alive) await this.api.stop(this.apiStopGraceMs);
    this.api = Child.node(`api${Object.keys(extra).length ? ` ${settings}` : ""}`, [...this.nodeFlags, ...this.main], { ...this.env, ...extra, APP_ROLE: "api", PORT: String(this.apiPort), SANDBOX_SIMULATORS: "false" });
    this.apiSettings = settings;
    this.apiProcesses.push(this.api);
    await this.api.waitForHttp(`${this.url}/ready`);
    return this.api;
  }

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const response = await fetch(this.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T; errors?: unknown };
    if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
    return answer.data!;
  }

  /** Runs `make` once per key for the whole run (seeding shared by scenarios). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as Promise<T>;
  }

  // ---- seeding ---------------------------------------------------------------

  /** 5,000 products (3 supplier variants each) in one category, through the CSV import. */
  catalog(products = 5000): Promise<{ categorySlug: string }> {
    return this.once(`catalog:${products}`, async () => {
      const { services } = this.composition;
      const admin = { userId: null };
      await services.catalog.saveCategory(admin, null, { name: "Bench", slug: "bench", type: CategoryType.GAME });
      const rows = ["category_slug,product_slug,product_name,variant_sku,variant_name,kind,supplier,supplier_sku,cost_price,stock,active,sort"];
      for (let p = 0; p < products; p += 1) {
        for (let v = 0; v < 3; v += 1) rows.push(`bench,bench-${p},Produk ${p},B${p}V${v},Varian ${v},SUPPLIER,digiflazz,B${p}V${v},${10_000 + v * 5_000},,true,${v}`);
      }
      const report = await services.catalogImport.importCatalog(admin, { format: FileFormat.CSV, contentBase64: Buffer.from(rows.join("\n")).toString("base64"), mode: ImportMode.ALL_OR_NOTHING });
      if (report.errors.length > 0) throw new Error(`catalog import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
      return { categorySlug: "bench" };
    });
  }

  /**
   * A game with a customer-number input and one 172-diamond variant (the
   * simulator's ML172, so the purchases after checkout succeed instead of being
   * refunded while the ledger checker runs), and the WALLET payment method.
   */
  checkoutProduct(): Promise<{ variantId: string }> {
    return this.once("checkout-product", async () => {
      const { services } = this.composition;
      const admin = { userId: null };
      const category = await services.catalog.saveCategory(admin, null, { name: "Bench Games", slug: "bench-games", type: CategoryType.GAME });
      const product = await services.catalog.saveProduct(admin, null, {
        name: "Bench Game", slug: "bench-game", categoryId: category.id,
        inputSchema: [{ key: "userId", label: "User ID", type: InputFieldType.NUMBER, required: true, pattern: "[0-9]{5,12}" }],
        customerNoTemplate: "{userId}",
      });
      const variant = await services.catalog.saveVariant(admin, null, {
        productId: product.id, name: "172 Diamonds", sku: "BENCH172", kind: FulfilmentKind.SUPPLIER, supplier: "digiflazz", supplierSku: "ML172", costPrice: 39_000, sort: 0,
      });
      await this.supplierReady();
      await services.payments.saveMethod(null, {
        code: "WALLET", gateway: "WALLET", channel: "BALANCE", displayName: "Saldo", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT,
        minAmount: 1, maxAmount: 100_000_000, active: true, sort: 0,
      }, null);
      return { variantId: variant.id };
    });
  }

  /**
   * What the fulfilment scenarios buy: a pulsa-like product whose one variant
   * is the Digiflazz simulator's ML86 (so the supplier really sells it) and a
   * Tripay QRIS payment method for guests.
   */
  fulfilmentProduct(): Promise<{ variantId: string; paymentMethod: string }> {
    return this.once("fulfilment-product", async () => {
      const { services } = this.composition;
      const admin = { userId: null };
      const category = await services.catalog.saveCategory(admin, null, { name: "Bench Flow", slug: "bench-flow", type: CategoryType.GAME });
      const product = await services.catalog.saveProduct(admin, null, {
        name: "Bench Flow", slug: "bench-flow", categoryId: category.id,
        inputSchema: [{ key: "phone", label: "Nomor", type: InputFieldType.TEXT, required: true, pattern: "[0-9]{10,13}" }],
        customerNoTemplate: "{phone}",
      });
      const variant = await services.catalog.saveVariant(admin, null, {
        productId: product.id, name: "86 Diamonds", sku: "FLOW86", kind: FulfilmentKind.SUPPLIER, supplier: "digiflazz", supplierSku: "ML86", costPrice: 19_800, sort: 0,
      });
      await services.payments.saveMethod(null, {
        code: "BENCH_QRIS", gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS", feeFlat: 0, feePercentBp: 0, feeBearer: FeeBearer.MERCHANT,
        minAmount: 1_000, maxAmount: 5_000_000, active: true, sort: 0,
      }, null);
      await this.supplierReady();
      return { variantId: variant.id, paymentMethod: "BENCH_QRIS" };
    });
  }

  /** The Digiflazz simulator with no pending → final delay and a deposit no run can spend. */
  private supplierReady(): Promise<void> {
    return this.once("supplier-ready", async () => {
      await this.sim("digiflazz", "/config", { pending_delay_ms: 0 });
      await this.sim("digiflazz", "/deposit", { deposit: 1_000_000_000_000 });
    });
  }

  /** POST to a sandbox simulator's control API (/<provider>/__sim<pathname>), hosted by the worker. */
  async sim<T = any>(provider: string, pathname: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.env.SANDBOX_URL}/${provider}/__sim${pathname}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${provider} ${pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as T;
  }

  /** Signs up over GraphQL (as a buyer would). */
  async register(tag: string): Promise<Member> {
    const data = await this.gql(`mutation ($input: RegisterInput!) { register(input: $input) { accessToken account { id } } }`, {
      input: { name: `Bench ${tag}`, email: `${tag}.${ulid().toLowerCase()}@bench.test`, password: "rahasia-123" },
    });
    return { id: data.register.account.id, token: data.register.accessToken };
  }

  /** An ADMIN (role granted in the database, as an operator's first admin would be). */
  admin(): Promise<Member> {
    return this.once("admin", async () => {
      const admin = await this.register("admin");
      await this.infra.dataSource.getRepository(UserRole).insert({ id: ulid(), userId: admin.id, role: Role.ADMIN });
      return admin;
    });
  }

  /** `count` signed-in members, each with this much in the wallet. */
  members(count: number, balance: number): Promise<Member[]> {
    return this.once(`members:${count}:${balance}`, async () => {
      const members: Member[] = [];
      for (let start = 0; start < count; start += 10) {
        members.push(...(await Promise.all(Array.from({ length: Math.min(10, count - start) }, (_, i) => this.register(`member${start + i}`)))));
      }
      for (const member of members) await this.credit(member.id, balance);
      return members;
    });
  }

  /** An approved reseller with an ORDERS_WRITE API token (budget raised to 1,000,000 requests a minute) and this balance. */
  async reseller(tag: string, balance: number): Promise<Member & { apiToken: string }> {
    const admin = await this.admin();
    const account = await this.register(tag);
    await this.gql(`mutation ($id: ID!) { approveReseller(userId: $id) { id } }`, { id: account.id }, admin.token);
    await this.gql(`mutation ($id: ID!) { setUserApiRateLimit(userId: $id, perMinute: 1000000) { id } }`, { id: account.id }, admin.token);
    const created = await this.gql(`mutation { createApiToken(name: "bench", scopes: [ORDERS_WRITE]) { token } }`, {}, account.token);
    if (balance > 0) await this.credit(account.id, balance);
    return { ...account, apiToken: created.createApiToken.token };
  }

  /** A wallet top-up straight through the wallet service (a TOPUP ledger row). */
  async credit(userId: string, amount: number): Promise<void> {
    const wallet = new WalletService(this.infra.dataSource, this.composition.services.audit);
    await this.infra.dataSource.transaction((manager) =>
      wallet.credit(manager, { userId, amount, type: BalanceMutationType.TOPUP, referenceType: "BENCH", referenceId: ulid() }),
    );
  }

  /** Runs the invariant checker (scripts/check-ledger.ts, read-only) on the bench database. */
  async checkLedger(): Promise<{ failed: number; output: string }> {
    const child = Child.start("check-ledger", "scripts/check-ledger.ts", { DATABASE_URL: this.env.DATABASE_URL });
    const line = await child.waitForLine(/all invariants hold|invariant\(s\) violated|check:ledger:/, 120_000);
    await child.stop();
    const output = child.output.join("\n");
    if (line[0].startsWith("check:ledger:")) throw new Error(output);
    return { failed: line[0] === "all invariants hold" ? 0 : Number(/(\d+) invariant/.exec(line[0])?.[1] ?? 1), output };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api?.stop(this.apiStopGraceMs), this.worker?.stop()]);
    await this.infra.close();
  }
}
