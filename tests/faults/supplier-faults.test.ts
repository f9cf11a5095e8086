import { expect } from "chai";
import type { Client } from "graphql-ws";
import type { RunningStore } from "../../src/boot";
import { sellable, fundWallet, walletMethod } from "../ordering/checkout-fixtures";
import { waitFor } from "../ordering/fixtures";
import { createMethod } from "../payments/fixtures";
import { gql, wsClient } from "../helpers/graphql";
import { registerAccount, subscribeTo, type TestAccount } from "../helpers/identity";
import { SHARED_REDIS_URL, StoreProcess, clearRedisPrefix, controlStore, freePort, processPrefix, processTestDatabase } from "../helpers/processes";
import { NUMBERS, buy, ledger, printLogsOnFailure, purchases, simFaults, simPost, simState, simWebhooks, statuses, transitions, updates, type Bought } from "./fixtures";

const SIM_PRICE = 19_500; // what the simulator charges for ML86, the SKU of the test variant
const SUCCESS_LOG = ["->PENDING_PAYMENT", "PENDING_PAYMENT>PAID", "PAID>PROCESSING", "PROCESSING>SUCCESS"];

/**
 * The fulfilment issue's supplier faults, with the store split into real OS
 * processes: one `APP_ROLE=api` process that also hosts the provider
 * simulators (SANDBOX_SIMULATORS=true), and one `APP_ROLE=worker` process that
 * reaches them through SANDBOX_URL and has the supplier call the API back
 * (PUBLIC_URL). The test process only sets up data and reads MySQL.
 */
describe("Supplier faults, across real processes (an API process with the simulators, a worker process)", function () {
  this.timeout(60_000);
  const prefix = processPrefix("supplier");
  let databaseUrl: string;
  let sandboxUrl: string;
  let api: StoreProcess | undefined;
  let worker: StoreProcess | undefined;
  let control: RunningStore | undefined;
  let variantId: string;
  let wallet: string;
  let member: TestAccount;
  const clients: Client[] = [];

  const common = (sandboxPort: number) => ({
    SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    DIGIFLAZZ_TIMEOUT_MS: "4000", // above the 2.5 s the simulator is slowed down to below
    SUPPLIER_LEASE_MARGIN_MS: "1000", // a dead worker's claim lapses 5 s after it was taken
    SUPPLIER_SWEEP_EVERY_MS: "500",
    SUPPLIER_STUCK_AFTER_MS: "500",
    SUPPLIER_RECHECK_MIN_MS: "300",
    SUPPLIER_RECHECK_MAX_MS: "1000",
    SUPPLIER_RESULT_RETRY_MS: "200",
    SUPPLIER_CONCURRENCY: "10",
  });

  before(async function () {
    this.timeout(180_000);
    databaseUrl = await processTestDatabase();
    await clearRedisPrefix(SHARED_REDIS_URL, prefix);
    const sandboxPort = await freePort();
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const store = { databaseUrl, redisUrl: SHARED_REDIS_URL, redisPrefix: prefix };
    api = await StoreProcess.start({ name: "api+simulators", role: "api", ...store, env: { ...common(sandboxPort), SANDBOX_SIMULATORS: "true", SANDBOX_PORT: String(sandboxPort) } });
    // the worker finds the simulators by SANDBOX_URL, and gives the supplier the API's address for callbacks
    worker = await StoreProcess.start({ name: "worker", role: "worker", ...store, env: { ...common(sandboxPort), PUBLIC_URL: api.url } });
    control = await controlStore({ ...store, url: api.url, sandboxUrl });
    variantId = (await sellable(control)).variant.id;
    wallet = await walletMethod(control);
    member = await registerAccount(api.url, "faults");
    await fundWallet(control, member.id, 10_000_000);
    expect((await simPost(sandboxUrl, "/config", { pending_delay_ms: 300, webhook_retry_interval_ms: 200 })).status).to.equal(200);
  });

  afterEach(async function () {
    printLogsOnFailure(this, [api, worker]);
    await simFaults(sandboxUrl, null);
  });

  after(async () => {
    for (const client of clients) await client.dispose();
    await worker?.stop();
    await api?.stop();
    await control?.stop();
  });

  const byWallet = (inputs: Record<string, string>) => buy(api!.url, { variantId, inputs, method: wallet, token: member.accessToken });
  const ids = (orders: Bought[]) => orders.map((order) => order.orderId);
  const allIn = async (orders: Bought[], wanted: string[], ms = 30_000) =>
    waitFor(async () => [...(await statuses(control!, ids(orders))).values()].every((status) => wanted.includes(status)), ms).catch(async () => {
      throw new Error(`not all orders reached ${wanted.join("/")}: ${JSON.stringify([...(await statuses(control!, ids(orders))).entries()])}`);
    });

  it("the worker is killed (-9) with purchases in flight; a new worker completes every order exactly once", async () => {
    await worker!.stop(); // orders come in while no worker runs, so the next one takes a full batch at once
    // no callbacks: only the worker's own requests can settle a purchase
    await simFaults(sandboxUrl, { endpoints: { transaction: { delay_ms: 2500 } }, callbacks: { drop_webhook: true } });
    const depositBefore = (await simState(sandboxUrl)).deposit;
    const ledgerBefore = (await ledger(control!, member.id)).rows.length;
    const orders: Bought[] = [];
    for (let i = 0; i < 20; i += 1) orders.push(await byWallet(NUMBERS.succeeds(i)));

    await worker!.start();
    const claimed = async () => [...(await purchases(control!, ids(orders))).values()].filter((row) => row.status === "PROCESSING" && row.attempts === 1);
    await waitFor(async () => (await claimed()).length === 10, 20_000); // SUPPLIER_CONCURRENCY requests on their way
    await new Promise((resolve) => setTimeout(resolve, 300));
    const inFlight = new Set((await claimed()).map((row) => row.refId));
    const answered = (await simState(sandboxUrl)).all.filter((tx) => inFlight.has(tx.ref_id));
    expect(answered, "the simulator still holds every request").to.have.length(0);
    await worker!.kill();
    expect(inFlight.size).to.equal(10);

    // the dead worker's requests still complete at the supplier; the new worker re-sends the same ref_ids once their claims lapse
    await simFaults(sandboxUrl, { endpoints: { transaction: { delay_ms: 200 } }, callbacks: { drop_webhook: true } });
    await worker!.start();
    await allIn(orders, ["SUCCESS"]);

    const rows = await purchases(control!, ids(orders));
    const sim = await simState(sandboxUrl);
    for (const order of orders) {
      const row = rows.get(order.orderId)!;
      const tx = sim.byRef.get(row.refId)!;
      expect(tx, `one purchase at the supplier for ${row.refId}`).to.include({ status: "Sukses", sn: row.sn });
      expect(row).to.include({ status: "SUCCESS", delivered: true });
      // in flight when the worker died: its request and the new worker's re-send of the same ref_id; the others: one request
      expect([tx.requests, row.attempts]).to.deep.equal(inFlight.has(row.refId) ? [2, 2] : [1, 1]);
    }
    expect(sim.all.filter((tx) => [...rows.values()].some((row) => row.refId === tx.ref_id))).to.have.length(20);
    expect(sim.deposit).to.equal(depositBefore - 20 * SIM_PRICE); // each bought (and paid for) once
    for (const [orderId, log] of await transitions(control!, ids(orders))) expect(log, orderId).to.deep.equal(SUCCESS_LOG);
    const after = await ledger(control!, member.id);
    expect(after.rows.slice(ledgerBefore).map(([type, amount]) => [type, amount])).to.deep.equal(orders.map((order) => ["PURCHASE", -order.total]));
    expect(after.balance).to.equal(after.sum);
  });

  it("the supplier times out after succeeding (no callback): the same ref_id is re-sent, one purchase, order SUCCESS, nothing refunded", async () => {
    await simFaults(sandboxUrl, { endpoints: { transaction: { succeed_then_timeout: true } }, callbacks: { drop_webhook: true } });
    const depositBefore = (await simState(sandboxUrl)).deposit;
    const ledgerBefore = (await ledger(control!, member.id)).rows.length;
    const order = await byWallet(NUMBERS.succeeds(100));
    const refId = (await purchases(control!, [order.orderId])).get(order.orderId)!.refId;
    // bought at the supplier, but the worker's request timed out with no answer
    await waitFor(async () => (await control!.infra.dataSource.query(`SELECT last_error FROM supplier_purchases WHERE ref_id = ?`, [refId]))[0].last_error, 15_000);
    expect((await simState(sandboxUrl)).byRef.get(refId)).to.include({ status: "Sukses", requests: 1 });
    expect((await statuses(control!, [order.orderId])).get(order.orderId)).to.equal("PROCESSING");

    await simFaults(sandboxUrl, { endpoints: { transaction: {} }, callbacks: { drop_webhook: true } }); // answers again; still no callback
    await allIn([order], ["SUCCESS"]);
    const sim = await simState(sandboxUrl);
    const tx = sim.byRef.get(refId)!;
    expect(tx.requests).to.be.at.least(2);
    expect(sim.all.filter((one) => one.ref_id === refId)).to.have.length(1);
    expect(sim.deposit).to.equal(depositBefore - SIM_PRICE);
    expect((await purchases(control!, [order.orderId])).get(order.orderId)).to.include({ status: "SUCCESS", sn: tx.sn });
    expect((await transitions(control!, [order.orderId])).get(order.orderId)).to.deep.equal(SUCCESS_LOG);
    expect((await ledger(control!, member.id)).rows.slice(ledgerBefore)).to.deep.equal([["PURCHASE", -order.total, order.orderId]]);
  });

  it("the supplier times out after succeeding but calls back: the callback settles it; the late timeout changes nothing", async () => {
    await simFaults(sandboxUrl, { endpoints: { transaction: { succeed_then_timeout: true } } });
    const ledgerBefore = (await ledger(control!, member.id)).rows.length;
    const order = await byWallet(NUMBERS.succeeds(101));
    await allIn([order], ["SUCCESS"]);
    const refId = (await purchases(control!, [order.orderId])).get(order.orderId)!.refId;
    // let the worker's request run into its deadline (DIGIFLAZZ_TIMEOUT_MS) after the callback won
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const sim = await simState(sandboxUrl);
    expect(sim.all.filter((one) => one.ref_id === refId)).to.have.length(1);
    expect((await purchases(control!, [order.orderId])).get(order.orderId)).to.include({ status: "SUCCESS", sn: sim.byRef.get(refId)!.sn, attempts: 1 });
    expect((await transitions(control!, [order.orderId])).get(order.orderId)).to.deep.equal(SUCCESS_LOG);
    expect((await ledger(control!, member.id)).rows.slice(ledgerBefore)).to.deep.equal([["PURCHASE", -order.total, order.orderId]]);
  });

  it("duplicated and out-of-order supplier callbacks (Pending after Sukses, each twice) change nothing: a guest hears PAID, PROCESSING, SUCCESS once", async () => {
    const tripay = await createMethod(control!, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS faults" });
    await simFaults(sandboxUrl, { callbacks: { duplicate_webhook: true, reorder_webhooks: true } });
    const order = await buy(api!.url, { variantId, inputs: NUMBERS.pendingThenSuccess, method: tripay });
    const client = wsClient(api!.url);
    clients.push(client);
    const live = subscribeTo(client, `subscription { orderTracking(trackingToken: "${order.trackingToken}") { orderId status sn } }`);
    await waitFor(async () => updates(live).length > 0);
    const paid = await gql(api!.url, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.orderId });
    expect(paid.errors, JSON.stringify(paid.errors)).to.equal(undefined);
    await allIn([order], ["SUCCESS"]);

    const refId = (await purchases(control!, [order.orderId])).get(order.orderId)!.refId;
    // the callbacks as sent: the final "update" twice, then the held-back "create" (Pending) twice; each answered 200
    await waitFor(async () => (await simWebhooks(sandboxUrl, refId)).filter((delivery) => delivery.attempts.length > 0).length === 4);
    const deliveries = await simWebhooks(sandboxUrl, refId);
    expect(deliveries.map((delivery) => delivery.headers["x-digiflazz-event"])).to.deep.equal(["update", "update", "create", "create"]);
    expect(deliveries.map((delivery) => delivery.attempts.map((attempt) => attempt.status))).to.deep.equal([[200], [200], [200], [200]]);

    const sim = await simState(sandboxUrl);
    expect(sim.all.filter((one) => one.ref_id === refId)).to.have.length(1);
    expect((await purchases(control!, [order.orderId])).get(order.orderId)).to.include({ status: "SUCCESS", sn: sim.byRef.get(refId)!.sn });
    expect((await transitions(control!, [order.orderId])).get(order.orderId)).to.deep.equal(SUCCESS_LOG);
    await waitFor(async () => updates(live).some((update) => update.status === "SUCCESS"));
    expect(updates(live).map((update) => update.status)).to.deep.equal(["PENDING_PAYMENT", "PAID", "PROCESSING", "SUCCESS"]);
    expect(await control!.composition.services.payments.refundTasks({ orderId: order.orderId })).to.have.length(0);
  });

  it("duplicated and out-of-order callbacks of a purchase that fails: FAILED once, refunded to the wallet once", async () => {
    await simFaults(sandboxUrl, { callbacks: { duplicate_webhook: true, reorder_webhooks: true } });
    const ledgerBefore = (await ledger(control!, member.id)).rows.length;
    const order = await byWallet(NUMBERS.pendingThenFail);
    await allIn([order], ["REFUNDED"]);
    const refId = (await purchases(control!, [order.orderId])).get(order.orderId)!.refId;
    await waitFor(async () => (await simWebhooks(sandboxUrl, refId)).filter((delivery) => delivery.attempts.length > 0).length === 4);
    expect((await simWebhooks(sandboxUrl, refId)).map((delivery) => [delivery.headers["x-digiflazz-event"], delivery.accepted])).to.deep.equal([
      ["update", true], ["update", true], ["create", true], ["create", true],
    ]);
    expect((await simState(sandboxUrl)).all.filter((one) => one.ref_id === refId)).to.have.length(1);
    expect((await purchases(control!, [order.orderId])).get(order.orderId)).to.include({ status: "FAILED" });
    expect((await transitions(control!, [order.orderId])).get(order.orderId)).to.deep.equal([
      "->PENDING_PAYMENT", "PENDING_PAYMENT>PAID", "PAID>PROCESSING", "PROCESSING>FAILED", "FAILED>REFUNDED",
    ]);
    const after = await ledger(control!, member.id);
    expect(after.rows.slice(ledgerBefore)).to.deep.equal([["PURCHASE", -order.total, order.orderId], ["REFUND", order.total, order.orderId]]);
    expect(after.balance).to.equal(after.sum);
  });
});
