import { createHmac } from "node:crypto";
import { expect } from "chai";
import type { Client } from "graphql-ws";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { Role } from "../../src/modules/identity/role";
import { Order } from "../../src/modules/ordering/order.entity";
import { ORDER_UPDATED, type OrderEvent } from "../../src/modules/ordering/order-events";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { SupplierPurchase } from "../../src/modules/fulfillment/supplier-purchase.entity";
import { CHECKOUT, GUEST_CONTACT, ML_INPUTS, fundWallet, sellable, walletMethod } from "../ordering/checkout-fixtures";
import { draft, waitFor } from "../ordering/fixtures";
import { createMethod } from "../payments/fixtures";
import { errorCode, gql, wsClient } from "../helpers/graphql";
import { grantRoles, registerAccount, registerAdmin, registerReseller, subscribeTo, type LiveSubscription, type TestAccount } from "../helpers/identity";
import { WebhookReceiver } from "../notifications/webhook-receiver";
import { sharedStore } from "../helpers/store";

// customer numbers the Digiflazz simulator scripts (providers/digiflazz.md §5), as ML user id + zone id
const PENDING_THEN_SUCCESS = { userId: "0878000012", zoneId: "33" };
const FAILS = { userId: "0878000012", zoneId: "32" };

interface Update {
  orderId: string;
  status: OrderStatus;
  sn: string | null;
  message: string;
}

const FIELDS = "orderId invoiceNumber status sn message at";

describe("An order's life, live: checkout → payment → supplier → SN on the subscription", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let variantId: string;
  let tripay: string;
  let midtrans: string;
  const clients: Client[] = [];

  before(async () => {
    store = await sharedStore();
    variantId = (await sellable(store)).variant.id;
    tripay = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS flow" });
    midtrans = await createMethod(store, { gateway: "MIDTRANS", channel: "gopay", displayName: "GoPay flow" });
  });
  after(async () => {
    for (const client of clients) await client.dispose();
  });

  const connect = (token?: string) => {
    const client = wsClient(store.url!, token);
    clients.push(client);
    return client;
  };
  const buy = async (input: { inputs?: Record<string, string>; method: string; token?: string }) => {
    const response = await gql(store.url!, CHECKOUT, {
      input: { items: [{ variantId, quantity: 1, inputs: input.inputs ?? ML_INPUTS }], ...(input.token ? {} : { contact: GUEST_CONTACT() }), paymentMethod: input.method, idempotencyKey: ulid() },
    }, input.token);
    expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
    return response.data!.checkout as { trackingToken: string; order: { id: string; total: number } };
  };
  const pay = async (orderId: string) => {
    const paid = await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: orderId });
    expect(paid.errors, JSON.stringify(paid.errors)).to.equal(undefined);
  };
  const updates = (live: LiveSubscription) => live.events.map((event) => (event as { data: Record<string, Update> }).data && Object.values((event as { data: Record<string, Update> }).data)[0]);
  /** Waits until the subscription delivered an update in `status`, and returns every update so far. */
  const until = async (live: LiveSubscription, status: OrderStatus, ms = 30_000) => {
    await waitFor(async () => updates(live).some((update) => update?.status === status) || live.events.some((event) => (event as { errors?: unknown }).errors), ms).catch(() => {
      throw new Error(`no ${status} update; got ${JSON.stringify(live.events)}`);
    });
    return updates(live);
  };
  const track = async (token: string) => {
    const live = subscribeTo(connect(), `subscription { orderTracking(trackingToken: "${token}") { ${FIELDS} } }`);
    await until(live, OrderStatus.PENDING_PAYMENT); // the current state comes first
    return live;
  };
  const orderRow = (id: string) => store.infra.dataSource.getRepository(Order).findOneOrFail({ where: { id }, relations: { items: true } });
  const purchaseOf = async (orderId: string) => store.infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ orderItemId: (await orderRow(orderId)).items![0].id });
  const simTransactions = async (refId: string) => {
    const body = (await (await fetch(`${store.sandboxUrl}/digiflazz/__sim/transactions`)).json()) as { transactions: { ref_id: string; status: string; sn: string }[] };
    return body.transactions.filter((tx) => tx.ref_id === refId);
  };

  it("a guest pays through a gateway and hears PAID, PROCESSING, then SUCCESS with the SN, in that order", async () => {
    const { trackingToken, order } = await buy({ method: tripay });
    const live = await track(trackingToken);
    await pay(order.id);
    const seen = await until(live, OrderStatus.SUCCESS);
    expect(seen.map((update) => update.status)).to.deep.equal([OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SUCCESS]);
    const purchase = await purchaseOf(order.id);
    const [bought] = await simTransactions(purchase.refId);
    expect(seen.at(-1)!.sn).to.equal(bought.sn).and.to.equal((await orderRow(order.id)).items![0].sn);
    expect(await simTransactions(purchase.refId)).to.have.length(1);
    expect(purchase.maxPrice).to.equal(19_800); // the variant's cost ceiling travels as max_price
  });

  it("events numbered by the order's status version; one that arrives after the current state and is not newer never reaches the follower", async () => {
    const { trackingToken, order } = await buy({ method: tripay });
    await pay(order.id);
    await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.SUCCESS);
    const row = await orderRow(order.id);
    const logged = await store.infra.dataSource.query("SELECT COUNT(*) AS n FROM order_transitions WHERE order_id = ?", [order.id]);
    expect([row.statusVersion, Number(logged[0].n)]).to.deep.equal([4, 4]);

    const live = subscribeTo(connect(), `subscription { orderTracking(trackingToken: "${trackingToken}") { ${FIELDS} } }`);
    await until(live, OrderStatus.SUCCESS); // the current state (version 4)
    // what was published before that read, arriving late (as it can from another process), then a newer event
    const event = (status: OrderStatus, version: number, message: string): OrderEvent => ({ orderId: order.id, invoiceNumber: row.invoiceNumber, status, version, sn: null, message, at: new Date().toISOString() });
    store.infra.eventBus.publish(ORDER_UPDATED, order.id, event(OrderStatus.PAID, 2, "late PAID"));
    store.infra.eventBus.publish(ORDER_UPDATED, order.id, event(OrderStatus.PROCESSING, 3, "late PROCESSING"));
    store.infra.eventBus.publish(ORDER_UPDATED, order.id, event(OrderStatus.SUCCESS, 4, "repeated SUCCESS"));
    store.infra.eventBus.publish(ORDER_UPDATED, order.id, event(OrderStatus.SUCCESS, 5, "newer"));
    await waitFor(async () => updates(live).length >= 2);
    expect(updates(live).map((update) => `${update.status} ${update.message}`)).to.deep.equal(["SUCCESS Completed successfully", "SUCCESS newer"]);
  });

  it("pending at the supplier, then its signed callback: PAID, PROCESSING, SUCCESS; a replayed or late callback changes nothing", async () => {
    const { trackingToken, order } = await buy({ method: tripay, inputs: PENDING_THEN_SUCCESS });
    const live = await track(trackingToken);
    await pay(order.id);
    const seen = await until(live, OrderStatus.SUCCESS);
    expect(seen.map((update) => update.status)).to.deep.equal([OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SUCCESS]);
    const purchase = await purchaseOf(order.id);
    const history = await store.composition.services.orders.history(order.id);

    // every callback the supplier sent for this ref_id, again, newest first ("update" Sukses before the "create" Pending)
    const deliveries = ((await (await fetch(`${store.sandboxUrl}/digiflazz/__sim/webhooks`)).json()) as { url: string; headers: Record<string, string>; body: string }[])
      .filter((delivery) => delivery.body.includes(purchase.refId));
    expect(deliveries.length).to.be.at.least(1);
    for (const delivery of [...deliveries].reverse().concat(deliveries)) {
      const answer = await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
      expect(answer.status).to.equal(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.composition.services.orders.history(order.id)).to.have.length(history.length);
    expect((await orderRow(order.id)).status).to.equal(OrderStatus.SUCCESS);
    expect(await simTransactions(purchase.refId)).to.have.length(1);
    expect(updates(live)).to.have.length(4);
  });

  describe("a failed purchase is refunded exactly once", () => {
    let member: TestAccount;
    before(async () => {
      member = await registerAccount(store.url!, "refunded");
    });
    const balance = async (userId: string) => Number((await store.infra.dataSource.query("SELECT COALESCE(SUM(balance), 0) AS b FROM wallets WHERE user_id = ?", [userId]))[0].b);
    const ledger = async (userId: string) =>
      (await store.infra.dataSource.query("SELECT type, amount FROM balance_mutations WHERE user_id = ? ORDER BY id", [userId])).map((row: { type: string; amount: string }) => [row.type, Number(row.amount)]);

    it("a member who paid through a gateway: PAID, PROCESSING, FAILED, REFUNDED to the wallet, with a REFUND notification", async () => {
      const { order } = await buy({ method: tripay, inputs: FAILS, token: member.accessToken });
      const live = subscribeTo(connect(member.accessToken), `subscription { orderUpdated(orderId: "${order.id}") { ${FIELDS} } }`);
      await until(live, OrderStatus.PENDING_PAYMENT);
      await pay(order.id);
      const seen = await until(live, OrderStatus.REFUNDED);
      expect(seen.map((update) => update.status)).to.deep.equal([OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.FAILED, OrderStatus.REFUNDED]);
      expect(await balance(member.id)).to.equal(order.total);
      expect(await ledger(member.id)).to.deep.equal([["REFUND", order.total]]);
      const notes = await gql(store.url!, `{ myNotifications(first: 10) { items { type title } } }`, {}, member.accessToken);
      expect(notes.data!.myNotifications.items.map((n: { type: string }) => n.type)).to.include("REFUND");
      // the refund job again, by hand: nothing moves twice
      expect(await store.composition.services.refunds!.refund(order.id)).to.equal("SKIPPED");
      expect(await ledger(member.id)).to.deep.equal([["REFUND", order.total]]);
    });

    it("ten refund runs at once, beside the queued refund job, credit the wallet exactly once", async () => {
      const buyer = await registerAccount(store.url!, "racing");
      const { orders, refunds } = store.composition.services;
      const { order } = await orders.place(draft({ userId: buyer.id }));
      const move = (to: OrderStatus) => store.infra.dataSource.transaction((m) => orders.transition(m, order.id, to, { actor: "test", reason: `test ${to}` }));
      await move(OrderStatus.PAID);
      await move(OrderStatus.FAILED); // queues the refund job too
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => refunds!.refund(order.id)));
      expect(outcomes.filter((outcome) => outcome === "WALLET").length).to.be.at.most(1);
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.REFUNDED);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await ledger(buyer.id)).to.deep.equal([["REFUND", order.total]]);
      expect((await orders.history(order.id)).filter((row) => row.toStatus === OrderStatus.REFUNDED)).to.have.length(1);
    });

    it("a wallet payment comes back to the wallet: balance as before, one PURCHASE and one REFUND row", async () => {
      const buyer = await registerAccount(store.url!, "walletrefund");
      await fundWallet(store, buyer.id, 100_000);
      const { order } = await buy({ method: await walletMethod(store), inputs: FAILS, token: buyer.accessToken });
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.REFUNDED);
      expect(await balance(buyer.id)).to.equal(100_000);
      expect((await ledger(buyer.id)).slice(1)).to.deep.equal([["PURCHASE", -order.total], ["REFUND", order.total]]);
    });

    it("a guest's Tripay payment (no refund API) becomes a refund task; billing settles it and the order is REFUNDED", async () => {
      const { order } = await buy({ method: tripay, inputs: FAILS });
      await pay(order.id);
      const task = await waitFor(async () => (await store.composition.services.payments.refundTasks({ orderId: order.id }))[0] ?? null);
      expect(task).to.include({ reason: "FAILED_ORDER", amount: order.total, status: "OPEN" });
      expect((await orderRow(order.id)).status).to.equal(OrderStatus.FAILED);
      const billing = await grantRoles(store, await registerAccount(store.url!, "billing"), [Role.BILLING]);
      const settled = await gql(store.url!, `mutation ($id: ID!) { settleRefundTask(id: $id, reference: "BCA-TRF-0001") { status } }`, { id: task.id }, billing.accessToken);
      expect(settled.errors, JSON.stringify(settled.errors)).to.equal(undefined);
      expect((await orderRow(order.id)).status).to.equal(OrderStatus.REFUNDED);
      // a sweep afterwards finds nothing to refund for it
      expect(await store.composition.services.refunds!.refund(order.id)).to.equal("SKIPPED");
    });

    it("a guest's Midtrans payment is refunded through Midtrans' refund API", async () => {
      const { order } = await buy({ method: midtrans, inputs: FAILS });
      await pay(order.id);
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.REFUNDED, 30_000);
      const log = await store.composition.services.orders.history(order.id);
      expect(log.at(-1)!.payload).to.deep.include({ amount: order.total });
      expect(await store.composition.services.payments.refundTasks({ orderId: order.id })).to.have.length(0);
    });
  });

  it("a reseller's endpoint gets every status change of their order, signed, with the SN on SUCCESS", async () => {
    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    try {
      const reseller = await registerReseller(store, await registerAdmin(store));
      const set = await gql(store.url!, `mutation ($url: String!) { setWebhookEndpoint(url: $url) { secret } }`, { url }, reseller.accessToken);
      expect(set.errors, JSON.stringify(set.errors)).to.equal(undefined);
      const secret = set.data!.setWebhookEndpoint.secret as string;
      await fundWallet(store, reseller.id, 100_000);
      const { order } = await buy({ method: await walletMethod(store), token: reseller.accessToken });
      const bodies = await waitFor(async () => {
        const found = receiver.received.map((hit) => ({ hit, body: JSON.parse(hit.raw.toString("utf8")) })).filter(({ body }) => body.data.orderId === order.id);
        return found.some(({ body }) => body.data.status === OrderStatus.SUCCESS) ? found : null;
      }, 30_000);
      expect(bodies.map(({ body }) => body.data.status)).to.have.members([OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SUCCESS]);
      expect(bodies).to.have.length(3);
      const success = bodies.find(({ body }) => body.data.status === OrderStatus.SUCCESS)!;
      expect(success.body.data.sn).to.equal((await orderRow(order.id)).items![0].sn);
      for (const { hit } of bodies) {
        const expected = createHmac("sha256", secret).update(hit.raw).digest("hex");
        expect(hit.headers["x-lapak-signature"]).to.equal(`sha256=${expected}`);
      }
    } finally {
      await receiver.stop();
    }
  });

  describe("who may follow an order", () => {
    it("another member, a wrong tracking token and a guest are refused; CS hears the staff feed, a customer may not", async () => {
      const owner = await registerAccount(store.url!, "owner");
      const stranger = await registerAccount(store.url!, "stranger");
      const { order } = await buy({ method: tripay, token: owner.accessToken });

      // a refusal arrives as an error result, then the subscription completes with nothing delivered
      const refusal = async (token: string | undefined, query: string) => {
        const live = subscribeTo(connect(token), query);
        await live.ended;
        expect(live.events).to.have.length(1);
        return (live.events[0] as { data?: unknown; errors: { extensions: { code: string } }[] }).errors[0].extensions.code;
      };
      expect(await refusal(stranger.accessToken, `subscription { orderUpdated(orderId: "${order.id}") { status } }`)).to.equal("NOT_FOUND");
      expect(await refusal(undefined, `subscription { orderTracking(trackingToken: "${"x".repeat(43)}") { status } }`)).to.equal("NOT_FOUND");
      expect(await refusal(undefined, `subscription { orderUpdated(orderId: "${order.id}") { status } }`)).to.equal("UNAUTHENTICATED");
      expect(await refusal(owner.accessToken, `subscription { orderFeed { status } }`)).to.equal("FORBIDDEN");

      const cs = await grantRoles(store, await registerAccount(store.url!, "cs"), [Role.CS_FULFILLER]);
      const feed = subscribeTo(connect(cs.accessToken), `subscription { orderFeed { ${FIELDS} } }`);
      await waitFor(async () => Number(((await store.infra.redis.pubsub("NUMSUB", store.infra.eventBus.channel("ORDER_FEED"))) as [string, number])[1]) > 0);
      await pay(order.id);
      const mine = await waitFor(async () => {
        const found = updates(feed).filter((update) => update?.orderId === order.id);
        return found.some((update) => update.status === OrderStatus.SUCCESS) ? found : null;
      }, 30_000);
      expect(mine.map((update) => update.status)).to.deep.equal([OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SUCCESS]);
      expect(mine.at(-1)!.sn).to.be.a("string");
      // the owner sees the SN in the query too; the transaction log hides internals from them
      const own = await gql(store.url!, `query ($id: ID!) { order(id: $id) { items { sn } history { to actor payload } } }`, { id: order.id }, owner.accessToken);
      expect(own.data!.order.items[0].sn).to.equal(mine.at(-1)!.sn);
      expect(own.data!.order.history.every((row: { actor: string | null; payload: unknown }) => row.actor === null && row.payload === null)).to.equal(true);
      expect(errorCode(await gql(store.url!, `query ($id: ID!) { order(id: $id) { id } }`, { id: order.id }, stranger.accessToken))).to.equal("NOT_FOUND");
    });
  });
});
