import { expect } from "chai";
import type { Client } from "graphql-ws";
import type { RunningStore } from "../../src/boot";
import { sellable } from "../ordering/checkout-fixtures";
import { waitFor } from "../ordering/fixtures";
import { createMethod } from "../payments/fixtures";
import { gql, wsClient } from "../helpers/graphql";
import { subscribeTo } from "../helpers/identity";
import { SHARED_REDIS_URL, StoreProcess, clearRedisPrefix, controlStore, freePort, processPrefix, processTestDatabase, startSimulators } from "../helpers/processes";
import { NUMBERS, buy, printLogsOnFailure, purchases, simPost, simState, simWebhooks, transitions, updates } from "./fixtures";

/**
 * "Two API processes and one worker: a subscriber on one API process receives
 * the update caused by a callback sent to the other." Three OS processes share
 * MySQL and Redis; the provider simulators run in the test process. PUBLIC_URL
 * (the address providers call back, a load balancer in production) leads to
 * API #2, so every provider callback lands there, while the buyer follows the
 * order on API #1.
 */
describe("Two API processes and a worker process: live order status crosses processes", function () {
  this.timeout(60_000);
  const prefix = processPrefix("two_apis");
  let api1: StoreProcess | undefined;
  let api2: StoreProcess | undefined;
  let worker: StoreProcess | undefined;
  let control: RunningStore | undefined;
  let sims: { url: string; stop(): Promise<void> } | undefined;
  let client: Client | undefined;

  before(async function () {
    this.timeout(180_000);
    const databaseUrl = await processTestDatabase();
    await clearRedisPrefix(SHARED_REDIS_URL, prefix);
    const api2Url = `http://127.0.0.1:${await freePort()}`;
    sims = await startSimulators(() => api2Url);
    const store = { databaseUrl, redisUrl: SHARED_REDIS_URL, redisPrefix: prefix };
    const env = { SANDBOX_URL: sims.url, PUBLIC_URL: api2Url };
    // no re-check of a pending purchase within the test: only the supplier's callback can settle it
    const supplier = { SUPPLIER_RECHECK_MIN_MS: "600000", SUPPLIER_RECHECK_MAX_MS: "600000" };
    [api1, api2, worker] = await Promise.all([
      StoreProcess.start({ name: "api-1", role: "api", ...store, env }),
      StoreProcess.start({ name: "api-2", role: "api", ...store, env: { ...env, PORT: new URL(api2Url).port } }),
      StoreProcess.start({ name: "worker", role: "worker", ...store, env: { ...env, ...supplier } }),
    ]);
    control = await controlStore({ ...store, url: api1.url, sandboxUrl: sims.url });
    // the supplier keeps the purchase Pending until the test resolves it
    expect((await simPost(sims.url, "/config", { pending_delay_ms: 600_000 })).status).to.equal(200);
  });

  afterEach(function () {
    printLogsOnFailure(this, [api1, api2, worker]);
  });

  after(async () => {
    await client?.dispose();
    await Promise.all([worker?.stop(), api1?.stop(), api2?.stop()]);
    await control?.stop();
    await sims?.stop();
  });

  it("a guest following on API #1 hears PAID, PROCESSING and SUCCESS caused by the gateway and supplier callbacks sent to API #2", async () => {
    const variantId = (await sellable(control!)).variant.id;
    const tripay = await createMethod(control!, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS two APIs" });
    const order = await buy(api1!.url, { variantId, inputs: NUMBERS.pendingThenSuccess, method: tripay });

    client = wsClient(api1!.url);
    const live = subscribeTo(client, `subscription { orderTracking(trackingToken: "${order.trackingToken}") { orderId status sn } }`);
    await waitFor(async () => updates(live).length > 0);
    expect(updates(live).map((update) => update.status)).to.deep.equal(["PENDING_PAYMENT"]);

    const api1Logs = api1!.logs.length;
    const paid = await gql(api1!.url, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.orderId });
    expect(paid.errors, JSON.stringify(paid.errors)).to.equal(undefined);
    await waitFor(async () => (await purchases(control!, [order.orderId])).get(order.orderId)?.status === "PENDING", 20_000);
    await waitFor(async () => updates(live).some((update) => update.status === "PROCESSING"));
    const refId = (await purchases(control!, [order.orderId])).get(order.orderId)!.refId;

    // the supplier settles the purchase: its callback goes to API #2 only
    const resolved = await simPost(sims!.url, `/transactions/${refId}/resolve`, { status: "Sukses" });
    expect(resolved.status).to.equal(200);
    await waitFor(async () => updates(live).some((update) => update.status === "SUCCESS"), 20_000);

    const sn = (await simState(sims!.url)).byRef.get(refId)!.sn;
    expect(updates(live)).to.deep.equal([
      { orderId: order.orderId, status: "PENDING_PAYMENT", sn: null },
      { orderId: order.orderId, status: "PAID", sn: null },
      { orderId: order.orderId, status: "PROCESSING", sn: null },
      { orderId: order.orderId, status: "SUCCESS", sn },
    ]);
    const deliveries = await simWebhooks(sims!.url, refId);
    expect(deliveries.map((delivery) => [delivery.headers["x-digiflazz-event"], delivery.url, delivery.accepted])).to.deep.include([
      "update", `${api2!.url}/webhooks/digiflazz`, true,
    ]);
    expect(deliveries.every((delivery) => delivery.url === `${api2!.url}/webhooks/digiflazz`)).to.equal(true);
    // the gateway's callback went to API #2 as well (the worker then confirmed the payment)
    const tripayCallbacks = (await (await fetch(`${sims!.url}/tripay/__sim/callbacks`)).json()) as { url: string; body: string; accepted: boolean }[];
    expect(tripayCallbacks.filter((delivery) => delivery.body.includes(paid.data!.simulatePayment.reference)).map((delivery) => [delivery.url, delivery.accepted])).to.deep.equal([
      [`${api2!.url}/webhooks/tripay`, true],
    ]);
    // API #2 applied the supplier's callback; API #1 never saw a provider callback; the worker did not re-check (one request)
    expect(api2!.logged(refId).some((line) => line.includes('"message":"digiflazz webhook"') && line.includes('"applied":"applied"'))).to.equal(true);
    expect(api1!.logged("/webhooks/", api1Logs).concat(api1!.logged("digiflazz webhook", api1Logs))).to.deep.equal([]);
    expect((await simState(sims!.url)).byRef.get(refId)).to.include({ requests: 1, status: "Sukses" });
    expect((await purchases(control!, [order.orderId])).get(order.orderId)).to.include({ status: "SUCCESS", sn, attempts: 1 });
    expect((await transitions(control!, [order.orderId])).get(order.orderId)).to.deep.equal([
      "->PENDING_PAYMENT", "PENDING_PAYMENT>PAID", "PAID>PROCESSING", "PROCESSING>SUCCESS",
    ]);
  });
});
