import { fundedMember, orderRows, placeSupplierOrders, purchasesAtSupplier, tally, waitForStatuses, walletBalance, type Script, type SupplierOrder } from "../lib/orders";
import { Checks, type Drill, type DrillContext } from "../lib/report";
import { pool, sleep, waitUntil } from "../lib/workload";

type KillPoint = "before the HTTP call" | "after supplier success, before commit" | "during a refund";

/**
 * 1. kill -9 the worker three times among a batch of in-flight supplier
 * orders: while its purchase requests are held before reaching the supplier,
 * while the supplier's "Sukses" answers are held on the way back (bought,
 * not yet written), and while FAILED orders are being refunded; restart it
 * each time. Every purchase at the sandbox must match a SUCCESS order, none
 * twice, and every order must end within 60 s of the last restart.
 */
export const workerKillDrill: Drill = {
  id: 1,
  name: "worker-kill",
  title: "kill -9 the worker among in-flight supplier jobs",
  async run(ctx) {
    const { store, rng, quick, log } = ctx;
    const c = new Checks();
    const count = quick ? 40 : 200;
    // mostly purchases that succeed (unique numbers, so a double shows), some that fail (refunds), a few pending first
    const scripts: Script[] = Array.from({ length: count }, () => (rng.chance(0.15) ? "fails" : rng.chance(0.06) ? "pendingThenSuccess" : "succeeds"));
    const buyers = await pool([0, 1, 2, 3], 4, (i) => fundedMember(store, `drill1b${i}`, 10_000_000));
    await store.sim("digiflazz", "/config", { pending_delay_ms: 1_500 });
    if (rng.chance(0.5)) {
      await store.sim("digiflazz", "/faults", { callbacks: { drop_webhook: true } });
      c.inject("Digiflazz webhooks dropped for the whole drill (results come only from the store's own re-checks)");
    }

    // The batch is placed while the sandbox proxy holds every purchase request, so all of it is in
    // flight when the first kill strikes; the two wire-level kill points come in seeded order, the
    // refund kill last (it needs answers flowing again).
    const points: KillPoint[] = [...rng.shuffle<KillPoint>(["before the HTTP call", "after supplier success, before commit"]), "during a refund"];
    store.proxies.sandbox.stall("up");
    const orders: SupplierOrder[] = [];
    const chunks = buyers.map((buyer, i) => ({ buyer, scripts: scripts.filter((_, k) => k % buyers.length === i) }));
    await pool(chunks, chunks.length, async (chunk) => orders.push(...(await placeSupplierOrders(store, chunk.buyer, chunk.scripts, 3))));
    c.inFlight = orders.length;
    c.inject(`${orders.length} wallet orders placed and paid while the sandbox proxy held every purchase request`);
    for (const [index, point] of points.entries()) {
      const killed = await killAt(ctx, point, orders);
      c.inject(`kill -9 worker #${index + 1} ${point}: ${killed}`);
    }
    const ids = orders.map((order) => order.orderId);

    log(`drill 1: last restart done; waiting for ${ids.length} orders to end`);
    const { rows, done, seconds } = await waitForStatuses(store, ids, ["SUCCESS", "REFUNDED"], 60_000);
    c.expect("every order terminal (SUCCESS or REFUNDED) within 60 s of the last restart", done, `${tally(rows.map((row) => row.status))} after ${seconds.toFixed(1)} s`);
    const { byRef, byCustomer } = await purchasesAtSupplier(store, rows);
    const succeeded = rows.filter((row) => row.status === "SUCCESS");
    const bought = rows.filter((row) => row.refId && byRef.get(row.refId)?.status === "Sukses");
    c.equal("purchases at the sandbox = SUCCESS orders", bought.length, succeeded.length);
    c.none("each SUCCESS order bought at the sandbox, with its SN", succeeded.filter((row) => !row.refId || byRef.get(row.refId)?.status !== "Sukses" || byRef.get(row.refId)?.sn !== row.itemSn).map((row) => row.id), succeeded.length);
    c.none("no REFUNDED order bought at the sandbox", rows.filter((row) => row.status === "REFUNDED" && row.refId && byRef.get(row.refId)?.status === "Sukses").map((row) => row.id));
    const unique = rows.filter((row) => !row.customerNo.startsWith("0878000012"));
    c.none("0 doubles: one sandbox purchase per order", unique.filter((row) => (byCustomer.get(row.customerNo) ?? []).length > 1).map((row) => row.customerNo), unique.length);
    const [purchases] = await store.query<{ rows: number; refs: number }>(
      "SELECT COUNT(*) AS `rows`, COUNT(DISTINCT p.ref_id) AS refs FROM supplier_purchases p JOIN order_items i ON i.id = p.order_item_id WHERE i.order_id IN (?)",
      [ids],
    );
    c.equal("one supplier purchase (one ref_id) per order", { rows: Number(purchases.rows), refs: Number(purchases.refs) }, { rows: ids.length, refs: ids.length });
    const spent = new Map<string, number>();
    for (const order of orders) if (rows.find((row) => row.id === order.orderId)?.status === "SUCCESS") spent.set(order.buyer.id, (spent.get(order.buyer.id) ?? 0) + order.total);
    const wrong: string[] = [];
    for (const buyer of buyers) {
      const balance = await walletBalance(store, buyer.id);
      if (balance !== 10_000_000 - (spent.get(buyer.id) ?? 0)) wrong.push(`${buyer.id}: ${balance}`);
    }
    c.none("each buyer's wallet = funding − SUCCESS orders (failed ones refunded once)", wrong, buyers.length);
    c.note(`scripts: ${tally(orders.map((order) => order.script))}`);
    return c.result();
  },
};

/** Sets up one kill point, waits until the worker is in it, kills it, clears the fault and restarts it. */
async function killAt({ store, rng, log }: DrillContext, point: KillPoint, orders: SupplierOrder[]): Promise<string> {
  const { sandbox, mysql } = store.proxies;
  const ids = () => orders.map((order) => order.orderId);
  let what = "";
  if (point === "before the HTTP call") {
    sandbox.unstall("down").stall("up");
    const claimed = await waitUntil(async () => {
      const [row] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM supplier_purchases WHERE lock_token IS NOT NULL AND status IN ('QUEUED','PROCESSING','PENDING') AND locked_until > NOW(3)");
      return Number(row.n) > 0 ? Number(row.n) : null;
    }, 30_000, 50);
    await sleep(rng.int(0, 800));
    what = `${claimed ?? 0} purchase(s) claimed, their requests held by the sandbox proxy`;
  } else if (point === "after supplier success, before commit") {
    sandbox.reset(); // requests held so far never reach the supplier
    sandbox.unstall("up").stall("down");
    const before = (await store.supplierTransactions()).size;
    const bought = await waitUntil(async () => {
      const now = (await store.supplierTransactions()).size;
      return now > before ? now - before : null;
    }, 30_000, 50);
    await sleep(rng.int(0, 500));
    const after = (await store.supplierTransactions()).size - before;
    what = `${Math.max(bought ?? 0, after)} purchase(s) made at the supplier, their answers held on the way back`;
  } else {
    sandbox.reset();
    sandbox.unstall();
    mysql.latency(15, 10);
    const failing = await waitUntil(async () => {
      if (orders.length === 0) return null;
      const [row] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE id IN (?) AND status = 'FAILED'", [ids()]);
      return Number(row.n) > 0 ? Number(row.n) : null;
    }, 45_000, 50);
    await sleep(rng.int(0, 300));
    const [refunded] = orders.length ? await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE id IN (?) AND status = 'REFUNDED'", [ids()]) : [{ n: 0 }];
    what = `${failing ?? 0} FAILED order(s) waiting for or in their refund (${refunded.n} refunded so far), MySQL 15±10 ms slower`;
  }
  const pid = store.worker.pid;
  await store.worker.kill();
  sandbox.reset(); // what the dead worker had on the wire is gone with it
  sandbox.unstall();
  mysql.latency(0);
  log(`drill 1: killed worker ${pid} ${point}; restarting`);
  await store.worker.start();
  return what;
}
