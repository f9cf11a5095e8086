import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { GUEST } from "../../src/core/context";
import type { AppError } from "../../src/core/errors";
import { Role } from "../../src/modules/identity/role";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import type { Order } from "../../src/modules/ordering/order.entity";
import { ORDER_EXPIRY_QUEUE } from "../../src/modules/ordering/order-expiry.processor";
import { errorCode, gql } from "../helpers/graphql";
import { startTestStore, sharedStore, stopStore } from "../helpers/store";
import { gqlAs, userViewer, withEnv } from "../helpers/viewer";
import { countRows, draft, waitFor } from "./fixtures";

const ORDER_FIELDS = `id invoiceNumber status total subtotal paymentFee voucherDiscount pointsValue needsReview
  items { productName quantity unitPrice customerNo fulfilmentKind fulfilmentStatus inputs }
  history { from to reason actor payload }`;

describe("Orders", function () {
  this.timeout(60_000);
  let store: RunningStore;
  before(async () => {
    store = await sharedStore();
  });
  const orders = () => store.composition.services.orders;

  it("are created with server prices: breakdown, items, invoice number, tracking token and a first log row", async () => {
    const created = await orders().place(
      draft({
        items: [
          { variantId: ulid(), productName: "Pulsa 50.000", quantity: 2, unitPrice: 50_500, fulfilmentKind: "SUPPLIER", customerNo: "081234567890", inputs: { phone: "081234567890" } },
          { variantId: ulid(), productName: "Netflix 1 bulan", quantity: 1, unitPrice: 45_000, fulfilmentKind: "STOCK_CODE" },
        ],
        voucherDiscount: 10_000,
        pointsUsed: 100,
        pointsValue: 1_000,
        paymentFee: 1_500,
        paymentMethodCode: "TRIPAY_QRIS",
      }),
    );
    const { order, trackingToken } = created;
    expect(created.created).to.equal(true);
    expect(order.invoiceNumber).to.match(/^INV-\d{8}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(order).to.include({ subtotal: 146_000, voucherDiscount: 10_000, pointsValue: 1_000, paymentFee: 1_500, total: 136_500, status: "PENDING_PAYMENT" });
    expect(order.items).to.have.length(2);
    expect(trackingToken).to.match(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await store.infra.dataSource.query("SELECT tracking_token_hash AS h FROM orders WHERE id = ?", [order.id]);
    expect(row.h).to.have.length(64).and.not.include(trackingToken);
    expect(order.expiresAt.getTime() - Date.now()).to.be.closeTo(24 * 3600_000, 60_000);
  });

  it("refuse bad input with BAD_USER_INPUT and write nothing", async () => {
    const before = { orders: await countRows(store, "orders"), items: await countRows(store, "order_items"), log: await countRows(store, "order_transitions") };
    const item = draft().items[0];
    const bad = [
      draft({ items: [] }),
      draft({ items: [{ ...item, quantity: 0 }] }),
      draft({ items: [{ ...item, quantity: -3 }] }),
      draft({ items: [{ ...item, quantity: 1e9 }] }),
      draft({ items: [{ ...item, unitPrice: 1.5 }] }),
      draft({ items: [{ ...item, unitPrice: -1 }] }),
      draft({ contact: { name: "Guest" } }),
      draft({ contact: { name: "", email: "a@b.test" } }),
      draft({ contact: { name: "X", email: "not-an-email" } }),
      draft({ voucherDiscount: 30_000 }),
      draft({ paymentFee: -1 }),
      draft({ idempotencyKey: "spaces are not allowed" }),
    ];
    for (const input of bad) {
      const error = await orders().place(input).then(() => null, (e: AppError) => e);
      expect(error?.extensions?.code, JSON.stringify(input).slice(0, 200)).to.equal("BAD_USER_INPUT");
    }
    expect({ orders: await countRows(store, "orders"), items: await countRows(store, "order_items"), log: await countRows(store, "order_transitions") }).to.deep.equal(before);
  });

  it("the same idempotency key sent 20 times in parallel makes one order; another payload under it is a CONFLICT", async () => {
    const userId = ulid();
    const request = draft({ userId, idempotencyKey: `checkout-${ulid()}`, requestPayload: { variant: "ML86", quantity: 1, method: "TRIPAY_QRIS" } });
    const results = await Promise.all(Array.from({ length: 20 }, () => orders().place({ ...request })));
    const ids = new Set(results.map((r) => r.order.id));
    expect(ids.size).to.equal(1);
    expect(results.filter((r) => r.created)).to.have.length(1);
    expect(new Set(results.map((r) => r.trackingToken)).size).to.equal(1);
    const [row] = await store.infra.dataSource.query("SELECT COUNT(*) AS n FROM orders WHERE user_id = ?", [userId]);
    expect(Number(row.n)).to.equal(1);
    const [logs] = await store.infra.dataSource.query("SELECT COUNT(*) AS n FROM order_transitions WHERE order_id = ?", [[...ids][0]]);
    expect(Number(logs.n)).to.equal(1);

    const other = await orders()
      .place({ ...request, requestPayload: { variant: "ML172", quantity: 1, method: "TRIPAY_QRIS" } })
      .then(() => null, (e: AppError) => e);
    expect(other?.extensions?.code).to.equal("CONFLICT");
    // the same key from another buyer is another order
    const stranger = await orders().place({ ...request, userId: ulid() });
    expect(stranger.order.id).to.not.equal([...ids][0]);
  });

  it("a guest follows the order by tracking token; the history hides internals; a wrong token is NOT_FOUND", async () => {
    const { order, trackingToken } = await orders().place(draft());
    await store.infra.dataSource.transaction((m) => orders().transition(m, order.id, OrderStatus.PAID, { actor: "gateway:TRIPAY", reason: "paid", payload: { secret: "internal" } }));
    const query = `query($t: String!) { orderByTrackingToken(token: $t) { ${ORDER_FIELDS} } }`;
    const seen = await gql(store.url!, query, { t: trackingToken });
    expect(seen.errors).to.equal(undefined);
    const view = seen.data!.orderByTrackingToken;
    expect(view).to.include({ id: order.id, status: "PAID", total: 20_000 });
    expect(view.items[0]).to.deep.include({ productName: "Mobile Legends 86 Diamonds", quantity: 1, unitPrice: 20_000, customerNo: "12345678" });
    expect(view.history.map((h: any) => h.to)).to.deep.equal(["PENDING_PAYMENT", "PAID"]);
    expect(view.history[1]).to.include({ actor: null, payload: null });
    expect(errorCode(await gql(store.url!, query, { t: trackingToken.slice(0, -1) + (trackingToken.endsWith("A") ? "B" : "A") }))).to.equal("NOT_FOUND");
  });

  it("members see their own orders (paged, filtered); others get NOT_FOUND; staff see internals; guests must sign in", async () => {
    const member = userViewer([Role.CUSTOMER]);
    const memberId = member.kind === "user" ? member.userId : "";
    const mine: Order[] = [];
    for (let i = 0; i < 5; i++) mine.push((await orders().place(draft({ userId: memberId }))).order);
    await store.infra.dataSource.transaction((m) => orders().transition(m, mine[0].id, OrderStatus.CANCELLED, { actor: "test", reason: "cancelled" }));
    const schema = store.composition.schema;
    const list = `query($after: String, $status: [OrderStatus!]) { myOrders(first: 2, after: $after, status: $status) { nodes { id status } endCursor hasNextPage } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gqlAs(schema, member, list, { after });
      expect(page.errors).to.equal(undefined);
      seen.push(...page.data.myOrders.nodes.map((n: any) => n.id));
      if (!page.data.myOrders.hasNextPage) break;
      after = page.data.myOrders.endCursor;
    }
    expect(seen).to.deep.equal(mine.map((o) => o.id).reverse());
    const cancelled: any = await gqlAs(schema, member, list, { status: ["CANCELLED"] });
    expect(cancelled.data.myOrders.nodes.map((n: any) => n.id)).to.deep.equal([mine[0].id]);

    const one = `query($id: ID!) { order(id: $id) { id history { actor } } }`;
    expect((await gqlAs(schema, member, one, { id: mine[1].id })).data!.order.history[0].actor).to.equal(null);
    expect(errorCode(await gqlAs(schema, userViewer([Role.CUSTOMER]), one, { id: mine[1].id }))).to.equal("NOT_FOUND");
    expect((await gqlAs(schema, userViewer([Role.SUPPORT]), one, { id: mine[1].id })).data!.order.history[0].actor).to.equal(`user:${memberId}`);
    expect(errorCode(await gqlAs(schema, GUEST, list))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gql(store.url!, list))).to.equal("UNAUTHENTICATED");
  });
});

describe("Order expiry", function () {
  this.timeout(60_000);
  let store: RunningStore;
  before(async () => {
    store = await withEnv({ ORDER_EXPIRY_SWEEP_SECONDS: "1" }, () => startTestStore());
  });
  after(() => stopStore(store));

  it("the repeatable job expires unpaid orders past expires_at, releases them in the same transaction, and leaves the rest", async () => {
    const orders = store.composition.services.orders;
    const released: string[] = [];
    // Every worker in this process (the shared store's too) may run the sweep: wire the hook in each, as production does.
    const workers = [store, await sharedStore()].map((s) => s.composition.services.orders);
    const previous = workers.map((worker) =>
      worker.setHooks({
        onOrderReleased: async (manager, order) => {
          const [row] = await manager.query("SELECT status FROM orders WHERE id = ?", [order.id]);
          released.push(`${order.id}:${row.status}`);
        },
      }),
    );
    after(() => workers.forEach((worker, i) => worker.setHooks(previous[i])));
    const due = await orders.place(draft({ expiresAt: new Date(Date.now() + 500) }));
    const later = await orders.place(draft());
    const waiting = await orders.place(draft({ expiresAt: new Date(Date.now() + 500) }));
    await store.infra.dataSource.transaction((m) => orders.transition(m, waiting.order.id, OrderStatus.WAITING_VERIFICATION, { actor: "test", reason: "proof" }));

    await waitFor(async () => (await orders.get(due.order.id)).status === OrderStatus.EXPIRED);
    const history = await orders.history(due.order.id);
    expect(history.at(-1)).to.include({ fromStatus: "PENDING_PAYMENT", toStatus: "EXPIRED", actor: "system:expiry" });
    expect(released).to.deep.equal([`${due.order.id}:EXPIRED`]);
    expect((await orders.get(later.order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
    expect((await orders.get(waiting.order.id)).status).to.equal(OrderStatus.WAITING_VERIFICATION);
    const repeatable = await store.infra.queues.get(ORDER_EXPIRY_QUEUE).getRepeatableJobs();
    expect(repeatable.map((job) => job.every)).to.include(1000);
    // a second sweep changes nothing
    expect(await orders.expireDue()).to.equal(0);
  });
});
