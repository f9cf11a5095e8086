import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { sellable } from "../ordering/checkout-fixtures";
import { waitFor } from "../ordering/fixtures";
import { createMethod } from "../payments/fixtures";
import { SHARED_REDIS_URL, StoreProcess, clearRedisPrefix, controlStore, freePort, processPrefix, processTestDatabase, startSimulators } from "../helpers/processes";
import { NUMBERS, buy, printLogsOnFailure, simWebhooks, statuses } from "./fixtures";

/**
 * "The store runs its callback intake as a process of its own (APP_ROLE=webhooks),
 * and tells every provider to call CALLBACK_URL: a flood of callbacks never
 * queues in front of the storefront, and payments land while the API is down."
 * api, webhooks and worker are OS processes sharing MySQL and Redis; the
 * simulators (in the test process) would call the API back if the store did
 * not name its callback address on every charge and purchase.
 */
describe("A webhooks process: provider callbacks go to CALLBACK_URL, not the API", function () {
  this.timeout(60_000);
  const prefix = processPrefix("webhooks_role");
  let api: StoreProcess | undefined;
  let webhooks: StoreProcess | undefined;
  let worker: StoreProcess | undefined;
  let control: RunningStore | undefined;
  let sims: { url: string; stop(): Promise<void> } | undefined;

  before(async function () {
    this.timeout(180_000);
    const databaseUrl = await processTestDatabase();
    await clearRedisPrefix(SHARED_REDIS_URL, prefix);
    const [apiPort, webhooksPort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    sims = await startSimulators(() => apiUrl); // the simulators' fallback: only the store's own CALLBACK_URL leads elsewhere
    const store = { databaseUrl, redisUrl: SHARED_REDIS_URL, redisPrefix: prefix };
    const env = { SANDBOX_URL: sims.url, PUBLIC_URL: apiUrl, CALLBACK_URL: `http://127.0.0.1:${webhooksPort}` };
    [api, webhooks, worker] = await Promise.all([
      StoreProcess.start({ name: "api", role: "api", ...store, env: { ...env, PORT: String(apiPort) } }),
      StoreProcess.start({ name: "webhooks", role: "webhooks", ...store, env: { ...env, PORT: String(webhooksPort) } }),
      StoreProcess.start({ name: "worker", role: "worker", ...store, env }),
    ]);
    control = await controlStore({ ...store, url: api.url, sandboxUrl: sims.url });
  });

  afterEach(function () {
    printLogsOnFailure(this, [api, webhooks, worker]);
  });

  after(async () => {
    await Promise.all([worker?.stop(), webhooks?.stop(), api?.stop()]);
    await control?.stop();
    await sims?.stop();
  });

  it("serves the webhooks and health only: no GraphQL, no playground", async () => {
    const graphql = await fetch(`${webhooks!.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(graphql.status).to.equal(404);
    expect((await fetch(`${webhooks!.url}/playground`)).status).to.equal(404);
    expect((await fetch(`${webhooks!.url}/ready`)).status).to.equal(200);
    // a forged callback is answered and kept there
    const body = JSON.stringify({ reference: `DEV-T${Date.now()}`, status: "PAID" });
    const forged = await fetch(`${webhooks!.url}/webhooks/tripay`, { method: "POST", headers: { "content-type": "application/json", "x-callback-event": "payment_status", "x-callback-signature": "forged" }, body });
    expect(forged.status).to.equal(400); // Tripay's documented answer to a bad signature
    const rows = await control!.infra.dataSource.query("SELECT verified, outcome FROM payment_callbacks WHERE raw_body = ?", [body]);
    expect(rows).to.deep.equal([{ verified: 0, outcome: "REJECTED_SIGNATURE" }]);
  });

  it("a buyer pays while the API process is down: the gateway's and the supplier's callbacks reach the webhooks process, and the order is SUCCESS", async () => {
    const variantId = (await sellable(control!)).variant.id;
    const tripay = await createMethod(control!, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS webhooks process" });
    const order = await buy(api!.url, { variantId, inputs: NUMBERS.succeeds(7101), method: tripay });
    const [payment] = await control!.infra.dataSource.query("SELECT reference, gateway_reference AS gatewayReference FROM payments WHERE order_id = ?", [order.orderId]);

    await api!.stop();
    const paid = await fetch(`${sims!.url}/tripay/__sim/transactions/${payment.gatewayReference}/pay`, { method: "POST" });
    expect(paid.status).to.equal(200);
    await waitFor(async () => (await statuses(control!, [order.orderId])).get(order.orderId) === "SUCCESS", 20_000);

    const callbacks = (await (await fetch(`${sims!.url}/tripay/__sim/callbacks`)).json()) as { url: string; body: string; accepted: boolean }[];
    expect(callbacks.filter((delivery) => delivery.body.includes(payment.reference)).map((delivery) => [delivery.url, delivery.accepted])).to.deep.equal([
      [`${webhooks!.url}/webhooks/tripay`, true],
    ]);
    const [purchase] = await control!.infra.dataSource.query(
      "SELECT sp.ref_id AS refId FROM supplier_purchases sp JOIN order_items i ON i.id = sp.order_item_id WHERE i.order_id = ?",
      [order.orderId],
    );
    const deliveries = await simWebhooks(sims!.url, purchase.refId);
    expect(deliveries.length).to.be.greaterThan(0);
    expect(deliveries.every((delivery) => delivery.url === `${webhooks!.url}/webhooks/digiflazz`)).to.equal(true);
  });
});
