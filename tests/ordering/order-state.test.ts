import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { ORDER_EDGES, OrderStatus, canTransition } from "../../src/modules/ordering/order-state";
import { OrderTransition } from "../../src/modules/ordering/order-transition.entity";
import { Order } from "../../src/modules/ordering/order.entity";
import { ORDER_FEED, ORDER_UPDATED, type OrderEvent } from "../../src/modules/ordering/order-events";
import type { GraphQLError } from "graphql";
import { ulid } from "ulid";
import { notFound, type AppError } from "../../src/core/errors";
import { sharedStore } from "../helpers/store";
import { draft, forceStatus, waitForSubscriber } from "./fixtures";

const ALL = Object.values(OrderStatus);

describe("The order state machine", function () {
  this.timeout(60_000);
  let store: RunningStore;
  before(async () => {
    store = await sharedStore();
  });
  const orders = () => store.composition.services.orders;

  it("knows exactly the design's edges; terminal states lead nowhere; nothing stays put", () => {
    expect(ORDER_EDGES.PENDING_PAYMENT).to.have.members(["PAID", "WAITING_VERIFICATION", "EXPIRED", "CANCELLED"]);
    expect(ORDER_EDGES.WAITING_VERIFICATION).to.have.members(["PAID", "PENDING_PAYMENT", "CANCELLED"]);
    for (const terminal of [OrderStatus.SUCCESS, OrderStatus.REFUNDED, OrderStatus.EXPIRED, OrderStatus.CANCELLED, OrderStatus.COMPLETED]) {
      expect(ALL.filter((to) => canTransition(terminal, to)), terminal).to.deep.equal([]);
    }
    for (const status of ALL) expect(canTransition(status, status), status).to.equal(false);
    // nothing goes back to PENDING_PAYMENT except the CS rejection, nothing back from PAID onwards
    const paidOnwards = [OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SUCCESS, OrderStatus.FAILED, OrderStatus.REFUNDED, OrderStatus.SHIPPED, OrderStatus.COMPLETED];
    for (const from of paidOnwards) {
      for (const back of [OrderStatus.PENDING_PAYMENT, OrderStatus.WAITING_VERIFICATION, OrderStatus.PAID]) expect(canTransition(from, back), `${from}->${back}`).to.equal(false);
    }
  });

  it("refuses every illegal edge through the service with CONFLICT and writes nothing", async () => {
    const { order } = await orders().place(draft());
    let refused = 0;
    for (const from of ALL) {
      await forceStatus(store, order.id, from);
      for (const to of ALL.filter((candidate) => !canTransition(from, candidate))) {
        const logBefore = await store.infra.dataSource.getRepository(OrderTransition).count({ where: { orderId: order.id } });
        const error = await store.infra.dataSource
          .transaction((manager) => orders().transition(manager, order.id, to, { actor: "test", reason: "illegal" }))
          .then(() => null, (e: AppError) => e);
        expect(error?.extensions?.code, `${from} -> ${to}`).to.equal("CONFLICT");
        expect((await orders().get(order.id)).status).to.equal(from);
        expect(await store.infra.dataSource.getRepository(OrderTransition).count({ where: { orderId: order.id } })).to.equal(logBefore);
        refused++;
      }
    }
    expect(refused).to.be.greaterThan(100);
  });

  it("walks a legal path, one log row per step, in order", async () => {
    const { order } = await orders().place(draft());
    const path = [OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.FAILED, OrderStatus.REFUNDED];
    for (const to of path) {
      await store.infra.dataSource.transaction((manager) => orders().transition(manager, order.id, to, { actor: "test", reason: `to ${to}`, payload: { step: to } }));
    }
    const history = await orders().history(order.id);
    expect(history.map((row) => [row.fromStatus, row.toStatus])).to.deep.equal([
      [null, "PENDING_PAYMENT"],
      ["PENDING_PAYMENT", "PAID"],
      ["PAID", "PROCESSING"],
      ["PROCESSING", "FAILED"],
      ["FAILED", "REFUNDED"],
    ]);
    expect((await orders().get(order.id)).paidAt).to.be.instanceOf(Date);
  });

  it("a transition and its log row commit together or not at all, and a rolled-back one publishes nothing", async () => {
    const { order } = await orders().place(draft());
    const events: OrderEvent[] = [];
    const iterator = store.infra.eventBus.subscribe<OrderEvent>(ORDER_UPDATED, order.id)[Symbol.asyncIterator]();
    const pump = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        events.push(next.value);
      }
    })();
    await waitForSubscriber(store, store.infra.eventBus.channel(ORDER_UPDATED, order.id));
    const failed = await store.infra.dataSource
      .transaction(async (manager) => {
        await orders().transition(manager, order.id, OrderStatus.PAID, { actor: "test", reason: "will roll back" });
        throw new Error("boom after the transition");
      })
      .catch((error: Error) => error.message);
    expect(failed).to.equal("boom after the transition");
    expect((await orders().get(order.id)).status).to.equal("PENDING_PAYMENT");
    expect((await orders().history(order.id)).map((row) => row.toStatus)).to.deep.equal(["PENDING_PAYMENT"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).to.deep.equal([]);
    await iterator.return?.();
    await pump;
  });

  it("a follower whose first read fails gets SERVICE_UNAVAILABLE (retryable); an error the store raised on purpose passes through", async () => {
    const bus = store.infra.eventBus;
    const firstOf = (current: () => Promise<OrderEvent | null>) =>
      bus.subscribeFrom<OrderEvent>(ORDER_UPDATED, ulid(), current, () => false)[Symbol.asyncIterator]().next().then(
        () => null,
        (error: GraphQLError) => error.extensions.code,
      );
    expect(await firstOf(() => Promise.reject(new Error("connect ETIMEDOUT")))).to.equal("SERVICE_UNAVAILABLE");
    expect(await firstOf(() => Promise.reject(notFound("Order")))).to.equal("NOT_FOUND");
  });

  it("publishes ORDER_UPDATED (and ORDER_FEED) only after COMMIT, as plain JSON", async () => {
    const { order } = await orders().place(draft());
    const bus = store.infra.eventBus;
    const perOrder = bus.subscribe<OrderEvent>(ORDER_UPDATED, order.id)[Symbol.asyncIterator]();
    const feed = bus.subscribe<OrderEvent>(ORDER_FEED)[Symbol.asyncIterator]();
    const first = perOrder.next();
    const feedNext = (async () => {
      for (;;) {
        const next = await feed.next();
        if (next.done || next.value.orderId === order.id) return next.value;
      }
    })();
    await waitForSubscriber(store, bus.channel(ORDER_UPDATED, order.id));
    await waitForSubscriber(store, bus.channel(ORDER_FEED));
    let publishedBeforeCommit = false;
    void first.then(() => (publishedBeforeCommit = !committed));
    let committed = false;
    await store.infra.dataSource.transaction(async (manager) => {
      await orders().transition(manager, order.id, OrderStatus.PAID, { actor: "test", reason: "paid" });
      await new Promise((resolve) => setTimeout(resolve, 300)); // an event sent now would arrive before COMMIT
    });
    committed = true;
    const event = (await first).value;
    expect(publishedBeforeCommit).to.equal(false);
    expect(event).to.include({ orderId: order.id, status: "PAID" });
    expect(event.message).to.be.a("string");
    expect(new Date(event.at).toString()).to.not.equal("Invalid Date");
    expect(await feedNext).to.include({ orderId: order.id, status: "PAID" });
    await perOrder.return?.();
    await feed.return?.();
  });

  it("runs the onOrderPaid hook inside the PAID transaction", async () => {
    const { order } = await orders().place(draft());
    const seen: string[] = [];
    const previous = orders().setHooks({
      onOrderPaid: async (manager, paid) => {
        const [row] = await manager.query("SELECT status FROM orders WHERE id = ?", [paid.id]);
        seen.push(`${paid.id}:${row.status}:${String(manager.queryRunner?.isTransactionActive)}`);
      },
    });
    try {
      await store.infra.dataSource.transaction((manager) => orders().transition(manager, order.id, OrderStatus.PAID, { actor: "test", reason: "paid" }));
    } finally {
      orders().setHooks(previous); // the shared store's fulfilment hook, for the suites that run after this one
    }
    expect(seen).to.deep.equal([`${order.id}:PAID:true`]);
    expect(await store.infra.dataSource.getRepository(Order).count({ where: { id: order.id, status: OrderStatus.PAID } })).to.equal(1);
  });
});
