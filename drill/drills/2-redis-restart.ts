import { fundedMember, mlInputs, nextUnique, orderRows, placeSupplierOrders, purchasesAtSupplier, tally, waitForStatuses, type Script, type SupplierOrder } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { Tracker, backwardStep, place, simulatePayment, sleep, waitUntil, type Placed } from "../lib/workload";

const EXPECTED: Record<Script, string> = { succeeds: "SUCCESS", fails: "REFUNDED", pendingThenSuccess: "SUCCESS", pendingThenFail: "REFUNDED" };

/**
 * 2. Redis goes away mid-batch with SHUTDOWN NOSAVE and comes back empty:
 * queued and delayed jobs, repeatable sweepers and pub/sub subscriptions are
 * gone. MySQL (the outbox rows) is the only memory left: the sweepers must
 * re-create the lost jobs, no paid order may be stuck 60 s later, and
 * subscribers must see the current state again.
 */
export const redisRestartDrill: Drill = {
  id: 2,
  name: "redis-restart",
  title: "Redis shut down without saving mid-batch, then restarted",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const count = quick ? 16 : 60;
    const scripts: Script[] = Array.from({ length: count }, (_, i) => (i % 5 === 0 ? "pendingThenSuccess" : i % 7 === 0 ? "pendingThenFail" : i % 6 === 0 ? "fails" : "succeeds"));
    const buyer = await fundedMember(store, "drill2", 10_000_000);
    // purchases take a while to answer and Pending ones wait for the drill, so the batch is mid-flight when Redis goes
    await store.sim("digiflazz", "/config", { pending_delay_ms: 600_000, webhook_retry_interval_ms: 500 });
    await store.sim("digiflazz", "/faults", { endpoints: { transaction: { delay_ms: 600 } } });
    const stayed = new Tracker(store.url);
    const reconnecting = new Tracker(store.url);
    try {
      const orders: SupplierOrder[] = await placeSupplierOrders(store, buyer, scripts, 4);
      const variantId = await store.variantId("ML86");
      const gatewayOrders: Placed[] = [];
      for (let i = 0; i < (quick ? 3 : 8); i++) gatewayOrders.push(await place(store.url, { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "TRIPAY_QRIS" }));
      for (const order of [...orders, ...gatewayOrders]) {
        stayed.follow(order.orderId, order.trackingToken);
        reconnecting.follow(order.orderId, order.trackingToken);
      }
      c.inFlight = orders.length + gatewayOrders.length;
      // both sets of subscribers have their current state (a loaded api takes a while to set up 2×68 subscriptions):
      // one set is to stay connected through the outage, which it cannot if it was never subscribed
      const followed = new Map([...orders, ...gatewayOrders].map((order) => [order.orderId, 0]));
      await Promise.all([stayed.caughtUp(followed, 30_000), reconnecting.caughtUp(followed, 30_000)]);
      await sleep(rng.int(1_000, 3_000));
      const before = await orderRows(store, orders.map((o) => o.orderId));
      const txs = await store.supplierTransactions();
      const inFlight = {
        answered: before.filter((row) => row.status !== "PROCESSING").length,
        pending: before.filter((row) => row.refId && txs.get(row.refId)?.status === "Pending").length,
        notBought: before.filter((row) => !row.refId || !txs.has(row.refId)).length,
      };

      const restartAt = Date.now();
      const workerLogFrom = store.worker.logs.length;
      await store.redisServer.shutdownNoSave();
      c.inject(`Redis SHUTDOWN NOSAVE mid-batch (${inFlight.answered} orders final, ${inFlight.pending} Pending at the supplier, ${inFlight.notBought} not bought yet)`);
      // while Redis is away: guests pay (callbacks are stored, their jobs cannot be queued), Pending purchases settle
      for (const order of gatewayOrders) await simulatePayment(store.url, order.orderId, 5_000);
      const pendingRefs = before.filter((row) => row.refId && txs.get(row.refId)?.status === "Pending");
      const settled = new Set<string>();
      const settle = async (row: { id: string; refId: string | null }) => {
        settled.add(row.refId!);
        await store.sim("digiflazz", `/transactions/${row.refId}/resolve`, { status: EXPECTED[scripts[orders.findIndex((o) => o.orderId === row.id)]] === "REFUNDED" ? "Gagal" : "Sukses" });
      };
      for (const row of pendingRefs.slice(0, Math.ceil(pendingRefs.length / 2))) await settle(row);
      const downMs = rng.int(3_000, 6_000);
      await sleep(Math.max(0, downMs - (Date.now() - restartAt)));
      await store.redisServer.start();
      c.inject(`Redis back after ${((Date.now() - restartAt) / 1000).toFixed(1)} s, empty; meanwhile ${gatewayOrders.length} guests paid (Tripay callbacks) and ${Math.ceil(pendingRefs.length / 2)} Pending purchases settled at the supplier`);
      // the rest of the Pending purchases settle now, their webhooks lost: only the store's own re-check finds out,
      // and the re-check jobs went with Redis (so the sweeper must re-create them)
      await store.sim("digiflazz", "/faults", { callbacks: { drop_webhook: true } });
      for (const row of pendingRefs.slice(Math.ceil(pendingRefs.length / 2))) await settle(row);
      await store.sim("digiflazz", "/faults", { endpoints: { transaction: {} }, callbacks: { drop_webhook: false } });
      // purchases that were not bought yet (or not yet Pending) at the snapshot go Pending later: the
      // supplier settles each as it appears, as it would have without the outage (webhooks on again)
      let settling = true;
      const settleUntil = Date.now() + 90_000; // never outlives the drill, even one that throws
      const settler = (async () => {
        while (settling && Date.now() < settleUntil) {
          const [rows, now] = await Promise.all([orderRows(store, orders.map((o) => o.orderId)), store.supplierTransactions()]);
          for (const row of rows) if (row.refId && !settled.has(row.refId) && now.get(row.refId)?.status === "Pending") await settle(row);
          await sleep(500);
        }
      })();
      const ids = [...orders, ...gatewayOrders].map((o) => o.orderId);
      const statusAtReconnect = new Map((await orderRows(store, ids)).map((row) => [row.id, row.status]));
      // the other set reconnects once the store says it is ready again (its Redis connections are back): a
      // subscription opened while the api is still reconnecting gets a retryable error, and this client does not retry
      await waitUntil(async () => (await fetch(`${store.url}/ready`).catch(() => null))?.status === 200, 30_000);
      const marks = await reconnecting.resubscribe();
      c.inject("subscribers: one set stays connected through the outage, the other reconnects after it");

      log(`drill 2: Redis is back; waiting up to 60 s for ${ids.length} paid orders`);
      const { rows, done, seconds } = await waitForStatuses(store, ids, ["SUCCESS", "REFUNDED"], 60_000);
      settling = false;
      await settler;
      c.expect("no paid order stuck 60 s after the restart (all SUCCESS or REFUNDED)", done, `${tally(rows.map((row) => row.status))} ${seconds.toFixed(1)} s after the restart`);
      const wrong = orders.filter((o) => rows.find((row) => row.id === o.orderId)?.status !== EXPECTED[o.script]).map((o) => `${o.orderId}:${o.script}`);
      c.none("each supplier order ended as its script says (SUCCESS / REFUNDED)", wrong, orders.length);
      const { byRef } = await purchasesAtSupplier(store, rows);
      c.none("purchases at the sandbox = SUCCESS orders", rows.filter((row) => row.refId && (row.status === "SUCCESS") !== (byRef.get(row.refId)?.status === "Sukses")).map((row) => row.id));
      const sweeps = store.worker.logged("supplier sweeper re-enqueued work", workerLogFrom);
      c.expect("the outbox sweeper re-created lost jobs after the restart", sweeps.length > 0, `${sweeps.length} sweep(s) re-enqueued work`);

      await waitUntil(async () => ids.every((id) => reconnecting.last(id) === rows.find((row) => row.id === id)?.status), 10_000);
      const firstAfter = ids.map((id) => ({ id, event: reconnecting.events.get(id)![marks.get(id)!] }));
      c.none(
        "a reconnecting subscriber first gets the order's current state",
        firstAfter.filter((f) => !f.event || backwardStep([statusAtReconnect.get(f.id)!, f.event.status]) !== null).map((f) => `${f.id}:${f.event?.status ?? "nothing"}`),
        ids.length,
      );
      c.none("a reconnecting subscriber ends on the order's final status", ids.filter((id) => reconnecting.last(id) !== rows.find((row) => row.id === id)?.status).map((id) => `${id}:${reconnecting.last(id)}`), ids.length);
      c.none("a subscriber that stayed connected hears the final status", ids.filter((id) => stayed.last(id) !== rows.find((row) => row.id === id)?.status).map((id) => `${id}:${stayed.last(id) ?? "nothing"}`), ids.length);
      const backward = ids.map((id) => backwardStep((reconnecting.events.get(id) ?? []).slice(marks.get(id)).map((e) => e.status))).filter(Boolean) as string[];
      c.none("what subscribers heard never goes backwards", backward, ids.length);
      const processes = [store.api, store.webhooks, store.worker];
      c.expect("every store process survived the outage", processes.every((proc) => proc.running), processes.map((proc) => `${proc.options.name} ${proc.crashed ?? "up"}`).join(", "));
      return c.result();
    } finally {
      await stayed.close();
      await reconnecting.close();
      await store.sim("digiflazz", "/config", { pending_delay_ms: 2000, webhook_retry_interval_ms: 1000 });
    }
  },
};
