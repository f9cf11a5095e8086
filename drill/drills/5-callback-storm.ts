import {
  deliver,
  digiflazzRefOf,
  digiflazzStatusOf,
  referenceOf,
  restatedGatewayCallback,
  signedDigiflazzWebhook,
  simDeliveries,
  type Delivery,
  type GatewayProvider,
} from "../lib/callbacks";
import { fundedMember, mlInputs, nextUnique, orderRows, placeSupplierOrders, refundsOf, tally, waitForStatuses } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { Tracker, backwardStep, place, pool, register, simulatePayment, sleep, topUp, waitUntil, type Placed } from "../lib/workload";

const GATEWAYS: { provider: GatewayProvider; method: string }[] = [
  { provider: "tripay", method: "TRIPAY_QRIS" },
  { provider: "midtrans", method: "MIDTRANS_GOPAY" },
  { provider: "duitku", method: "DUITKU_QRIS" },
];
const TOP_UP = 50_000;

interface Send {
  what: string;
  delivery: Delivery;
}

/**
 * 5. Every gateway and supplier callback arrives three times: the provider's
 * own delivery, a replay racing it, and a late replay after the order is
 * final, shuffled, together with correctly signed "pending" and "failed"
 * callbacks after "success". Paid once, credited once, never backwards,
 * every copy kept.
 */
export const callbackStormDrill: Drill = {
  id: 5,
  name: "callback-storm",
  title: "every callback 3× shuffled, late replays, pending/failed after success",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const perGateway = quick ? 2 : 6;
    const supplierCount = quick ? 4 : 12;
    const variantId = await store.variantId("ML86");
    const tracker = new Tracker(store.url);
    const reorder = rng.chance(0.5);
    try {
      // --- orders: guests through three gateways, a member's top-ups, wallet orders pending at the supplier
      await store.sim("digiflazz", "/config", { pending_delay_ms: 600_000 });
      if (reorder) await store.sim("digiflazz", "/faults", { callbacks: { reorder_webhooks: true } });
      const gatewayOrders: (Placed & { provider: GatewayProvider; kind: "order" | "topup" })[] = [];
      for (const { provider, method } of GATEWAYS) {
        for (let i = 0; i < perGateway; i++) {
          const placed = await place(store.url, { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: method });
          gatewayOrders.push({ ...placed, provider, kind: "order" });
        }
      }
      const member = await register(store.url, "drill5");
      for (let i = 0; i < (quick ? 2 : 4); i++) gatewayOrders.push({ ...(await topUp(store.url, member, TOP_UP, "TRIPAY_QRIS")), provider: "tripay", kind: "topup" });
      const buyer = await fundedMember(store, "drill5s", 5_000_000);
      const supplierOrders = await placeSupplierOrders(store, buyer, Array(supplierCount).fill("pendingThenSuccess"));
      const all = [...gatewayOrders, ...supplierOrders];
      for (const order of all) tracker.follow(order.orderId, order.trackingToken);
      c.inFlight = all.length;
      c.inject(`${gatewayOrders.length} gateway payments (Tripay, Midtrans, Duitku; ${gatewayOrders.filter((o) => o.kind === "topup").length} of them wallet top-ups) and ${supplierCount} supplier purchases pending at Digiflazz`);

      // --- copy 1: the providers' own deliveries, in shuffled order
      for (const order of rng.shuffle(gatewayOrders)) {
        const paid = await simulatePayment(store.url, order.orderId);
        if (paid.errors) throw new Error(`simulatePayment: ${JSON.stringify(paid.errors)}`);
      }
      const pendingRows = await waitUntil(async () => {
        const rows = await orderRows(store, supplierOrders.map((o) => o.orderId));
        const txs = await store.supplierTransactions();
        return rows.every((row) => row.refId && txs.get(row.refId)?.status === "Pending") ? rows : null;
      }, 30_000);
      if (!pendingRows) throw new Error("the supplier purchases did not all reach Pending at the simulator");
      for (const row of rng.shuffle(pendingRows)) await store.sim("digiflazz", `/transactions/${row.refId}/resolve`, { status: "Sukses" });
      c.inject(`copy 1: each provider's own delivery, orders paid / resolved in shuffled order${reorder ? "; Digiflazz sends the Pending \"create\" after the Sukses \"update\" (reorder_webhooks)" : ""}`);

      // what each provider really sent, for these orders
      const references = new Map<string, string>(); // payment reference → order id
      for (const row of await store.query<{ reference: string; orderId: string }>("SELECT reference, order_id AS orderId FROM payments WHERE order_id IN (?)", [gatewayOrders.map((o) => o.orderId)])) {
        references.set(row.reference, row.orderId);
      }
      const refIds = new Set(pendingRows.map((row) => row.refId!));
      const original: Send[] = [];
      const paidOriginals = new Map<string, { provider: GatewayProvider; delivery: Delivery }>();
      for (const { provider } of GATEWAYS) {
        for (const delivery of await simDeliveries(store, provider)) {
          const reference = referenceOf(provider, delivery.body);
          if (!reference || !references.has(reference)) continue;
          original.push({ what: `${provider} ${reference}`, delivery });
          paidOriginals.set(reference, { provider, delivery });
        }
      }
      const supplierOriginals = (await simDeliveries(store, "digiflazz")).filter((d) => refIds.has(digiflazzRefOf(d.body) ?? ""));
      for (const delivery of supplierOriginals) original.push({ what: `digiflazz ${digiflazzRefOf(delivery.body)} ${digiflazzStatusOf(delivery.body)}`, delivery });

      // --- copy 2: replays racing the originals' processing, shuffled
      const answers: number[] = [];
      const send = async (batch: Send[]) => {
        await pool(batch, 6, async (item) => {
          await sleep(rng.int(0, 40));
          answers.push(await deliver(item.delivery));
        });
      };
      await send(rng.shuffle(original));
      c.inject(`copy 2: ${original.length} replays at once, shuffled, while the originals are still being processed`);

      // --- wait for the orders to finish, then copy 3 plus "pending"/"failed" after "success"
      const ids = all.map((o) => o.orderId);
      await waitForStatuses(store, ids, ["SUCCESS", "FAILED", "REFUNDED"], 60_000);
      const late: Send[] = [...original];
      for (const [reference, { provider, delivery }] of paidOriginals) {
        for (const to of ["pending", "failed"] as const) {
          const restated = restatedGatewayCallback(provider, delivery, to);
          if (restated) for (let k = 0; k < 3; k++) late.push({ what: `${provider} ${reference} ${to} after success`, delivery: restated });
        }
      }
      for (const refId of refIds) {
        const sukses = supplierOriginals.find((d) => digiflazzRefOf(d.body) === refId && digiflazzStatusOf(d.body) === "Sukses");
        if (!sukses) continue;
        const pending = signedDigiflazzWebhook(sukses, { status: "Pending", rc: "03", message: "Transaksi Pending", sn: "" });
        const failed = signedDigiflazzWebhook(sukses, { status: "Gagal", rc: "02", message: "Transaksi Gagal", sn: "" });
        for (let k = 0; k < 3; k++) late.push({ what: `digiflazz ${refId} Pending after Sukses`, delivery: pending }, { what: `digiflazz ${refId} Gagal after Sukses`, delivery: failed });
      }
      await send(rng.shuffle(late));
      c.inject(`copy 3: ${original.length} late replays after every order was final, shuffled among ${late.length - original.length} correctly signed "pending" and "failed" callbacks after "success"`);

      // --- the store settles
      const processed = await waitUntil(async () => {
        const [row] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM payment_callbacks WHERE reference IN (?) AND processed_at IS NULL", [[...references.keys()]]);
        return Number(row.n) === 0;
      }, 30_000);
      c.expect("every stored gateway callback processed", !!processed);
      await sleep(1_000); // late webhooks and subscription events settle

      // --- checks
      const rows = await orderRows(store, ids);
      c.none("every order ends SUCCESS", rows.filter((row) => row.status !== "SUCCESS").map((row) => `${row.id}:${row.status}`), rows.length);
      const paidTransitions = await store.query<{ orderId: string; n: number }>(
        "SELECT order_id AS orderId, COUNT(*) AS n FROM order_transitions WHERE order_id IN (?) AND to_status = 'PAID' GROUP BY order_id",
        [ids],
      );
      const paidCount = new Map(paidTransitions.map((row) => [row.orderId, Number(row.n)]));
      c.none("each order PAID exactly once", ids.filter((id) => paidCount.get(id) !== 1).map((id) => `${id}×${paidCount.get(id) ?? 0}`), ids.length);
      const paidPayments = await store.query<{ orderId: string; n: number }>("SELECT order_id AS orderId, COUNT(*) AS n FROM payments WHERE order_id IN (?) AND status = 'PAID' GROUP BY order_id", [gatewayOrders.map((o) => o.orderId)]);
      c.none("each gateway payment credited once (one PAID payment per order)", gatewayOrders.filter((o) => Number(paidPayments.find((p) => p.orderId === o.orderId)?.n ?? 0) !== 1).map((o) => o.orderId), gatewayOrders.length);
      const topUps = gatewayOrders.filter((o) => o.kind === "topup");
      const [credit] = await store.query<{ n: number; total: string }>("SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS total FROM balance_mutations WHERE user_id = ? AND type = 'TOPUP'", [member.id]);
      c.equal("each top-up credited to the wallet once", { credits: Number(credit.n), rupiah: Number(credit.total) }, { credits: topUps.length, rupiah: topUps.length * TOP_UP });
      const refunds = await refundsOf(store, ids);
      c.equal("0 refunds", refunds.walletRefunds.length + refunds.tasks.length, 0);
      const txs = await store.supplierTransactions();
      c.none("supplier orders: the SN is the supplier's, one purchase per ref_id", rows.filter((row) => row.refId && refIds.has(row.refId) && row.itemSn !== txs.get(row.refId)?.sn).map((row) => row.id));

      // never backwards: the log and what subscribers heard
      const logRows = await store.query<{ orderId: string; from: string | null; to: string }>(
        "SELECT order_id AS orderId, from_status AS `from`, to_status AS `to` FROM order_transitions WHERE order_id IN (?) ORDER BY id",
        [ids],
      );
      const backward: string[] = [];
      for (const id of ids) {
        const step = backwardStep(logRows.filter((row) => row.orderId === id).map((row) => row.to));
        if (step) backward.push(`${id}: ${step}`);
      }
      c.none("status never moves backwards (transaction log)", backward, ids.length);
      const heard: string[] = [];
      for (const id of ids) {
        const statuses = (tracker.events.get(id) ?? []).map((event) => event.status);
        const step = backwardStep(statuses);
        if (step) heard.push(`${id}: ${step}`);
      }
      c.none("status never moves backwards (what subscribers heard)", heard, ids.length);
      const finalHeard = ids.filter((id) => tracker.last(id) !== "SUCCESS");
      c.none("every subscriber heard the final SUCCESS", finalHeard, ids.length);

      // every copy kept
      const sentToStore = answers.filter((status) => status >= 200 && status < 300).length;
      const gatewayAttempts = original.filter((s) => !s.what.startsWith("digiflazz")).reduce((n, s) => n + (s.delivery.attempts ?? []).filter((a) => a.status !== null && a.status >= 200 && a.status < 300).length, 0);
      const [stored] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM payment_callbacks WHERE reference IN (?)", [[...references.keys()]]);
      const gatewaySent = gatewayAttempts + late.filter((s) => !s.what.startsWith("digiflazz")).length + original.filter((s) => !s.what.startsWith("digiflazz")).length;
      c.equal("every gateway callback copy stored (payment_callbacks)", Number(stored.n), gatewaySent);
      const supplierSent = supplierOriginals.reduce((n, d) => n + (d.attempts ?? []).filter((a) => a.status !== null).length, 0) + late.filter((s) => s.what.startsWith("digiflazz")).length + original.filter((s) => s.what.startsWith("digiflazz")).length;
      const supplierStored = await storedSupplierCallbacks(store, [...refIds]);
      c.expect("every supplier callback copy stored", supplierStored === supplierSent, supplierStored === null ? `the store keeps no supplier callbacks (${supplierSent} sent; only logged)` : `${supplierStored} stored of ${supplierSent} sent`);
      c.equal("every callback answered 2xx", answers.filter((status) => status < 200 || status >= 300).length, 0, `${answers.length} sent by the drill`);
      c.note(`the store's answers to the drill's copies (HTTP status: count): ${tally(answers.map(String), ": ")}; gateway callback outcomes: ${tally((await store.query<{ outcome: string }>("SELECT outcome FROM payment_callbacks WHERE reference IN (?)", [[...references.keys()]])).map((row) => row.outcome))}`);
      return c.result();
    } finally {
      await tracker.close();
      await store.sim("digiflazz", "/config", { pending_delay_ms: 2000 });
    }
  },
};

/** Supplier webhooks the store kept for these ref_ids; null when it keeps none. */
async function storedSupplierCallbacks(store: Parameters<Drill["run"]>[0]["store"], refIds: string[]): Promise<number | null> {
  const [table] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'supplier_callbacks'");
  if (Number(table.n) === 0) return null;
  const [row] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM supplier_callbacks WHERE ref_id IN (?)", [refIds]);
  return Number(row.n);
}
