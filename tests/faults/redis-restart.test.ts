import { expect } from "chai";
import type { Client } from "graphql-ws";
import type { RunningStore } from "../../src/boot";
import { RECONCILE_QUEUE } from "../../src/modules/fulfillment/fulfillment.processor";
import { SUPPLIER_QUEUE } from "../../src/modules/fulfillment/supplier-purchase.service";
import { NOTIFICATION_QUEUE } from "../../src/modules/notifications/notification.processor";
import { RESELLER_WEBHOOK_SWEEP_QUEUE } from "../../src/modules/notifications/reseller-webhook.processor";
import { ORDER_EXPIRY_QUEUE } from "../../src/modules/ordering/order-expiry.processor";
import { PAYMENT_POLL_QUEUE } from "../../src/modules/payments/payments.processor";
import { REFUND_QUEUE } from "../../src/modules/refunds/refund.service";
import { fundWallet, sellable, walletMethod } from "../ordering/checkout-fixtures";
import { waitFor } from "../ordering/fixtures";
import { wsClient } from "../helpers/graphql";
import { registerAccount, subscribeTo, type LiveSubscription, type TestAccount } from "../helpers/identity";
import { RedisServer, StoreProcess, controlStore, type StoreProcessOptions, processPrefix, processTestDatabase, startSimulators } from "../helpers/processes";
import { NUMBERS, buy, ledger, printLogsOnFailure, purchases, simFaults, simPost, simState, simWebhooks, statuses, transitions, updates, type Bought } from "./fixtures";

type Script = keyof typeof EXPECTED;
const EXPECTED = {
  succeeds: "SUCCESS",
  fails: "REFUNDED",
  pendingThenSuccess: "SUCCESS",
  pendingThenFail: "REFUNDED",
} as const;
const LOG = {
  SUCCESS: ["->PENDING_PAYMENT", "PENDING_PAYMENT>PAID", "PAID>PROCESSING", "PROCESSING>SUCCESS"],
  REFUNDED: ["->PENDING_PAYMENT", "PENDING_PAYMENT>PAID", "PAID>PROCESSING", "PROCESSING>FAILED", "FAILED>REFUNDED"],
};
// pending ones first, so some are Pending at the supplier when Redis dies, and some purchases not yet sent
const BATCH: Script[] = [
  "pendingThenSuccess", "pendingThenFail", "pendingThenSuccess", "pendingThenFail", "succeeds", "fails", "succeeds",
  "pendingThenSuccess", "succeeds", "fails", "succeeds", "pendingThenFail", "succeeds", "pendingThenSuccess", "fails", "succeeds",
];

/**
 * "Redis restarts while orders are in flight → every paid order ends SUCCESS
 * or REFUNDED, none stuck." An API process and a worker process on a private
 * redis-server (no persistence), which is killed with SIGKILL in the middle of
 * a batch and started again empty: queued and delayed jobs, repeatable
 * sweepers and pub/sub subscriptions are all gone. MySQL (the outbox rows) is
 * the only memory left, and must be enough.
 */
describe("Redis is killed and restarts empty while paid orders are in flight", function () {
  this.timeout(90_000);
  const prefix = processPrefix("redis_restart");
  let redis: RedisServer | undefined;
  let api: StoreProcess | undefined;
  let worker: StoreProcess | undefined;
  let workerOptions: StoreProcessOptions;
  let control: RunningStore | undefined;
  let sims: { url: string; stop(): Promise<void> } | undefined;
  const clients: Client[] = [];

  before(async function () {
    this.timeout(180_000);
    const databaseUrl = await processTestDatabase();
    redis = await RedisServer.start();
    let apiUrl = "";
    sims = await startSimulators(() => apiUrl);
    const store = { databaseUrl, redisUrl: redis.url, redisPrefix: prefix };
    const recovery = {
      SANDBOX_URL: sims.url,
      DIGIFLAZZ_TIMEOUT_MS: "3000",
      SUPPLIER_LEASE_MARGIN_MS: "1000",
      SUPPLIER_SWEEP_EVERY_MS: "500",
      SUPPLIER_STUCK_AFTER_MS: "500",
      SUPPLIER_RECHECK_MIN_MS: "500",
      SUPPLIER_RECHECK_MAX_MS: "2000",
      SUPPLIER_RESULT_RETRY_MS: "300",
      SUPPLIER_CONCURRENCY: "2",
      REFUND_SWEEP_EVERY_MS: "500",
      REFUND_SWEEP_GRACE_MS: "1000",
    };
    api = await StoreProcess.start({ name: "api", role: "api", ...store, env: recovery });
    apiUrl = api.url;
    workerOptions = { name: "worker", role: "worker", ...store, env: { ...recovery, PUBLIC_URL: api.url } };
    control = await controlStore({ ...store, url: api.url, sandboxUrl: sims.url });
    // Pending purchases stay Pending until the test resolves them; purchases take a while to answer
    expect((await simPost(sims.url, "/config", { pending_delay_ms: 600_000, webhook_retry_interval_ms: 500 })).status).to.equal(200);
    await simFaults(sims.url, { endpoints: { transaction: { delay_ms: 800 } } });
  });

  afterEach(function () {
    printLogsOnFailure(this, [api, worker], redis);
  });

  after(async () => {
    for (const client of clients) await client.dispose();
    await Promise.all([worker?.stop(), api?.stop()]);
    await control?.stop();
    await sims?.stop();
    await redis?.stop();
  });

  /** The worker's repeatable jobs (the sweepers and polls that rebuild lost work from MySQL), as Redis holds them. */
  const SWEPT_QUEUES = [SUPPLIER_QUEUE, RECONCILE_QUEUE, REFUND_QUEUE, ORDER_EXPIRY_QUEUE, NOTIFICATION_QUEUE, PAYMENT_POLL_QUEUE, RESELLER_WEBHOOK_SWEEP_QUEUE];
  const repeatables = async () => {
    const found: string[] = [];
    for (const name of SWEPT_QUEUES) for (const job of await control!.infra.queues.get(name).getRepeatableJobs()) found.push(`${name}/${job.id}/${job.every}`);
    return found.sort();
  };

  const follow = (token: string): LiveSubscription => {
    const client = wsClient(api!.url);
    clients.push(client);
    return subscribeTo(client, `subscription { orderTracking(trackingToken: "${token}") { orderId status sn } }`);
  };

  it("every paid order ends SUCCESS or REFUNDED exactly once, and a subscriber that reconnects sees the current state first", async () => {
    const variantId = (await sellable(control!)).variant.id;
    const wallet = await walletMethod(control!);
    const member: TestAccount = await registerAccount(api!.url, "redis");
    await fundWallet(control!, member.id, 5_000_000);
    const orders: (Bought & { script: Script })[] = [];
    for (const [i, script] of BATCH.entries()) {
      const inputs = script === "succeeds" ? NUMBERS.succeeds(300 + i) : NUMBERS[script];
      orders.push({ ...(await buy(api!.url, { variantId, inputs, method: wallet, token: member.accessToken })), script });
    }
    const ids = orders.map((order) => order.orderId);
    // a buyer follows a Pending-then-Sukses order (the last in the batch: not yet sent when Redis dies) across the outage
    const followed = orders.filter((order) => order.script === "pendingThenSuccess").at(-1)!;
    const stayed = follow(followed.trackingToken);
    await waitFor(async () => updates(stayed).length > 0);
    // and buyers follow every other pending order: those settled while Redis is away publish into the outage
    const staying = new Map(orders.filter((order) => order.script.startsWith("pending") && order !== followed).map((order) => [order.orderId, follow(order.trackingToken)]));
    await waitFor(async () => [...staying.values()].every((live) => updates(live).length > 0));
    // the worker starts on a full batch: its purchase jobs wait in Redis
    worker = await StoreProcess.start(workerOptions);

    // mid-batch: some purchases answered, some Pending at the supplier, some not sent yet (their jobs are only in Redis)
    const kinds = async () => {
      const rows = [...(await purchases(control!, ids)).values()];
      return { answered: rows.filter((row) => row.status !== "QUEUED" && row.status !== "PROCESSING").length, queued: rows.filter((row) => row.status === "QUEUED").length };
    };
    await waitFor(async () => (await kinds()).answered >= 4, 20_000);
    const atKill = await kinds();
    const sweepers = await repeatables();
    expect(sweepers).to.have.length(SWEPT_QUEUES.length);
    await redis!.kill();
    expect(atKill.queued, JSON.stringify(atKill)).to.be.at.least(4);

    // while Redis is gone the supplier settles two Pending purchases; its callbacks reach the API, which cannot publish or enqueue,
    // and still answers each with its committed result: the after-commit Redis work waits at most AFTER_COMMIT_WAIT_MS (1 s)
    const sim = await simState(sims!.url);
    const pendingAtSupplier = orders.filter((order) => order.script.startsWith("pending"));
    const refOf = new Map([...(await purchases(control!, ids)).values()].map((row) => [row.orderId, row.refId]));
    const early = pendingAtSupplier.filter((order) => order !== followed && sim.byRef.get(refOf.get(order.orderId)!)?.status === "Pending");
    const duringOutage = [early.find((order) => order.script === "pendingThenSuccess"), early.find((order) => order.script === "pendingThenFail")].filter((order) => order !== undefined);
    expect(duringOutage).to.have.length(2);
    const outageCalls = duringOutage.map((order) => simPost(sims!.url, `/transactions/${refOf.get(order.orderId)}/resolve`, { status: order.script === "pendingThenSuccess" ? "Sukses" : "Gagal" }));
    for (const answer of await Promise.all(outageCalls)) expect(answer.status).to.equal(200);
    expect(redis!.running).to.equal(false);
    for (const order of duringOutage) {
      const settles = (await simWebhooks(sims!.url, refOf.get(order.orderId)!)).filter((delivery) => delivery.headers["x-digiflazz-event"] === "update");
      const attempts = settles.flatMap((delivery) => delivery.attempts);
      expect(attempts.map((attempt) => attempt.status), order.script).to.deep.equal([200]);
      expect(attempts[0].ms, `${order.script}: the store's answer took`).to.be.below(5_000);
    }
    const settled = await purchases(control!, duringOutage.map((order) => order.orderId));
    expect(duringOutage.map((order) => settled.get(order.orderId)!.status)).to.deep.equal(duringOutage.map((order) => (order.script === "pendingThenSuccess" ? "SUCCESS" : "FAILED")));

    await redis!.start(); // empty: no jobs, no repeatable sweepers, no subscriptions
    // the worker registers its sweepers again by itself, and they rebuild the lost jobs from MySQL
    await waitFor(async () => JSON.stringify(await repeatables()) === JSON.stringify(sweepers), 10_000);

    // the buyer reconnects: the order's current state comes first, then the outcome
    const reconnected = follow(followed.trackingToken);
    await waitFor(async () => updates(reconnected).length > 0, 20_000);
    expect(updates(reconnected).map((update) => update.status)).to.deep.equal(["PROCESSING"]);

    // the supplier settles the rest once their purchases reached it (they may only now be re-sent by the sweeper)
    const unresolved = pendingAtSupplier.filter((order) => !duringOutage.includes(order));
    for (const order of unresolved) {
      const refId = refOf.get(order.orderId)!;
      await waitFor(async () => (await simState(sims!.url)).byRef.get(refId)?.status === "Pending", 20_000);
      const answer = await simPost(sims!.url, `/transactions/${refId}/resolve`, { status: order.script === "pendingThenSuccess" ? "Sukses" : "Gagal" });
      expect(answer.status).to.equal(200);
    }
    // and the store still takes new orders end to end
    orders.push({ ...(await buy(api!.url, { variantId, inputs: NUMBERS.succeeds(399), method: wallet, token: member.accessToken })), script: "succeeds" });
    const allIds = orders.map((order) => order.orderId);

    await waitFor(async () => [...(await statuses(control!, allIds)).values()].every((status) => status === "SUCCESS" || status === "REFUNDED"), 45_000).catch(async () => {
      throw new Error(`orders left unfinished: ${JSON.stringify([...(await statuses(control!, allIds)).entries()].filter(([, status]) => status !== "SUCCESS" && status !== "REFUNDED"))}`);
    });
    // the purchase row is marked delivered just after the order's transaction (and its after-commit work) is done
    await waitFor(async () => [...(await purchases(control!, allIds)).values()].every((row) => row.delivered), 10_000).catch(() => undefined);

    const final = await statuses(control!, allIds);
    const logs = await transitions(control!, allIds);
    const rows = await purchases(control!, allIds);
    const supplier = await simState(sims!.url);
    for (const order of orders) {
      const expected = EXPECTED[order.script];
      expect(final.get(order.orderId), `${order.script} ${order.orderId}`).to.equal(expected);
      expect(logs.get(order.orderId), `${order.script} ${order.orderId}`).to.deep.equal(LOG[expected]);
      const row = rows.get(order.orderId)!;
      expect(row).to.include({ status: expected === "SUCCESS" ? "SUCCESS" : "FAILED", delivered: true });
      expect(supplier.all.filter((tx) => tx.ref_id === row.refId), `one purchase for ${row.refId}`).to.have.length(1);
      expect(supplier.byRef.get(row.refId)!.status).to.equal(expected === "SUCCESS" ? "Sukses" : "Gagal");
    }
    const money = await ledger(control!, member.id);
    const expectedLedger = [["TOPUP", 5_000_000]]
      .concat(orders.map((order) => ["PURCHASE", -order.total]))
      .concat(orders.filter((order) => EXPECTED[order.script] === "REFUNDED").map((order) => ["REFUND", order.total]));
    const byType = (rows: (string | number)[][]) => rows.map((row) => `${row[0]} ${row[1]}`).sort();
    expect(byType(money.rows)).to.deep.equal(byType(expectedLedger));
    const refunds = money.rows.filter(([type]) => type === "REFUND").map(([, , ref]) => ref).sort();
    expect(refunds).to.deep.equal(orders.filter((order) => EXPECTED[order.script] === "REFUNDED").map((order) => order.orderId).sort());
    expect(money.balance).to.equal(money.sum);

    // the reconnected buyer heard the outcome; another reconnecting now gets the final state first
    await waitFor(async () => updates(reconnected).length === 2, 10_000);
    expect(updates(reconnected).map((update) => update.status)).to.deep.equal(["PROCESSING", "SUCCESS"]);
    // the buyer who stayed connected through the outage heard it too (the API subscribed again to the restarted Redis)
    await waitFor(async () => updates(stayed).length === 2, 10_000);
    expect(updates(stayed).map((update) => update.status)).to.deep.equal(["PROCESSING", "SUCCESS"]);
    // those whose order was settled during the outage get its state once the API's Redis connection is back
    for (const order of duringOutage) {
      const live = staying.get(order.orderId)!;
      await waitFor(async () => updates(live).at(-1)?.status === EXPECTED[order.script], 10_000).catch(() => {
        throw new Error(`${order.script} ${order.orderId}: the buyer who stayed heard ${JSON.stringify(updates(live).map((update) => update.status))}`);
      });
      const heard = updates(live).map((update) => update.status);
      expect(heard[0], order.script).to.equal("PROCESSING");
      expect(LOG[EXPECTED[order.script]].map((step) => step.split(">").at(-1)).filter((status) => heard.includes(status as never)), order.script).to.deep.equal(heard);
    }
    const refunded = orders.find((order) => order.script === "pendingThenFail")!;
    const late = follow(refunded.trackingToken);
    await waitFor(async () => updates(late).length > 0, 10_000);
    expect(updates(late).map((update) => update.status)).to.deep.equal(["REFUNDED"]);
    expect([api!.crashed, worker!.crashed]).to.deep.equal([undefined, undefined]);
  });
});
