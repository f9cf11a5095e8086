import { ulid } from "ulid";
import { fundedMember, mlInputs, nextUnique, tally, walletBalance } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { checkout, codeOf, pool, sleep, type Account, type CheckoutRequest, type GqlResponse } from "../lib/workload";

/** Errors a client may meet and simply retry with the same idempotency key. */
export const RETRYABLE = new Set(["NETWORK", "INTERNAL_SERVER_ERROR", "PAYMENT_ERROR"]);
const FUNDING = 20_000_000;
/** driver and SQL error texts: a client must never see them */
const INTERNAL = /ECONN|ETIMEDOUT|EPIPE|ER_[A-Z_]+|PROTOCOL_|Query|SQL|connection lost|Connection lost|deadlock/i;

interface Attempt {
  at: number;
  code?: string;
  message?: string;
}

/**
 * 3. Checkout load for 30 s while every MySQL connection of the app is
 * reset (TCP RST) every 2 s. Each client retries with its idempotency key.
 * No partial writes (no debit without its order, no order without its rows),
 * clients see only errors worth retrying, and throughput comes back.
 */
export const mysqlKillDrill: Drill = {
  id: 3,
  name: "mysql-kill",
  title: "kill every app MySQL connection every 2 s under checkout load",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const lanes = quick ? 8 : 16;
    const phases = quick ? { baseline: 6_000, faults: 12_000, recovery: 6_000 } : { baseline: 10_000, faults: 30_000, recovery: 10_000 };
    const members = await pool(Array.from({ length: lanes }, (_, i) => i), 4, (i) => fundedMember(store, `drill3m${i}`, FUNDING));
    const variantId = await store.variantId("ML86");
    const attempts: Attempt[] = [];
    const completions: { at: number; orderId: string; wallet: boolean }[] = [];
    const unfinished: string[] = [];
    const started = Date.now();
    const end = started + phases.baseline + phases.faults + phases.recovery;
    const faultStart = started + phases.baseline;
    const faultEnd = faultStart + phases.faults;

    const lane = async (index: number) => {
      const member: Account = members[index];
      const r = rng.fork(`lane-${index}`);
      while (Date.now() < end) {
        const wallet = r.chance(0.5);
        const request: CheckoutRequest = wallet
          ? { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "WALLET", token: member.token, idempotencyKey: ulid() }
          : { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "MANUAL_BCA", idempotencyKey: ulid() };
        let done = false;
        for (let attempt = 0; attempt < 30 && !done; attempt++) {
          const { response, placed } = await checkout(store.url, request, 20_000);
          if (placed && !response.errors && placed.paymentError) {
            // the order exists, its payment did not start: a storefront retries with the same key
            attempts.push({ at: Date.now(), code: "PAYMENT_ERROR", message: placed.paymentError });
            await sleep(100 + attempt * 100);
          } else if (placed && !response.errors) {
            completions.push({ at: Date.now(), orderId: placed.orderId, wallet });
            done = true;
          } else {
            attempts.push({ at: Date.now(), code: codeOf(response), message: message(response) });
            await sleep(100 + attempt * 100);
          }
        }
        if (!done) unfinished.push(request.idempotencyKey!);
      }
    };
    const resets: number[] = [];
    const killer = (async () => {
      await sleep(faultStart - Date.now());
      while (Date.now() < faultEnd) {
        resets.push(store.proxies.mysql.reset());
        await sleep(2_000);
      }
    })();
    await Promise.all([...Array.from({ length: lanes }, (_, i) => lane(i)), killer]);
    c.inFlight = lanes;
    c.inject(`${lanes} clients checking out in a loop (wallet or manual transfer), ${phases.baseline / 1000} s undisturbed, then every app MySQL connection reset every 2 s for ${phases.faults / 1000} s (${resets.length} times, ${resets.reduce((a, b) => a + b, 0)} connections), then ${phases.recovery / 1000} s undisturbed`);
    log(`drill 3: ${completions.length} checkouts done; checking the database`);

    const rate = (from: number, to: number) => completions.filter((x) => x.at >= from && x.at < to).length / ((to - from) / 1000);
    const baseline = rate(started + 1_000, faultStart); // the first second warms up
    const during = rate(faultStart, faultEnd);
    const recovery = rate(faultEnd + 2_000, end);
    c.note(`checkouts/s: before ${baseline.toFixed(1)}, during ${during.toFixed(1)}, after ${recovery.toFixed(1)}; errors seen: ${tally(attempts.map((a) => a.code ?? "NO_CODE")) || "none"}`);
    const paymentErrors = [...new Set(attempts.filter((a) => a.code === "PAYMENT_ERROR").map((a) => a.message))];
    if (paymentErrors.length) c.note(`paymentError texts: ${paymentErrors.slice(0, 3).map((m) => JSON.stringify(m)).join("; ")}`);
    c.none("no internal error text reaches a client (paymentError, messages)", [...new Set(attempts.filter((a) => a.code !== "NETWORK").map((a) => a.message ?? ""))].filter((m) => INTERNAL.test(m)));
    const bad = attempts.filter((a) => !RETRYABLE.has(a.code ?? ""));
    c.none("clients get retryable errors only (no answer, INTERNAL_SERVER_ERROR, a paymentError to retry)", bad.map((a) => `${a.code}: ${a.message}`), attempts.length);
    c.none("every checkout succeeds after retrying with its key", unfinished, completions.length + unfinished.length);
    c.expect("throughput recovers (after ≥ half of before)", recovery >= baseline / 2, `${recovery.toFixed(1)} vs ${baseline.toFixed(1)} checkouts/s`);

    // no partial writes
    const orderIds = completions.map((x) => x.orderId);
    const memberIds = members.map((m) => m.id);
    const debits = await store.query<{ ref: string; amount: string; orderId: string | null; total: string | null }>(
      "SELECT b.reference_id AS ref, b.amount, o.id AS orderId, o.total FROM balance_mutations b LEFT JOIN orders o ON o.id = b.reference_id WHERE b.type = 'PURCHASE' AND b.user_id IN (?)",
      [memberIds],
    );
    c.none("no wallet debit without its order (or of another amount)", debits.filter((row) => !row.orderId || Number(row.amount) !== -Number(row.total)).map((row) => row.ref), debits.length);
    const walletOrders = completions.filter((x) => x.wallet).map((x) => x.orderId);
    const debitCount = new Map<string, number>();
    for (const row of debits) debitCount.set(row.ref, (debitCount.get(row.ref) ?? 0) + 1);
    c.none("each wallet order has exactly one debit", walletOrders.filter((id) => debitCount.get(id) !== 1).map((id) => id), walletOrders.length);
    const allOrders = await store.query<{ id: string; status: string; method: string; items: number; lastTo: string | null; payments: number }>(
      `SELECT o.id, o.status, o.payment_method_code AS method,
              (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS items,
              (SELECT t.to_status FROM order_transitions t WHERE t.order_id = o.id ORDER BY t.id DESC LIMIT 1) AS lastTo,
              (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) AS payments
         FROM orders o WHERE o.user_id IN (?) OR o.id IN (?)`,
      [memberIds, orderIds.length ? orderIds : [""]],
    );
    c.none("no order without its item and transaction log (last entry = its status)", allOrders.filter((row) => Number(row.items) !== 1 || row.lastTo !== row.status).map((row) => row.id), allOrders.length);
    c.none("each manual-transfer order has its payment", allOrders.filter((row) => row.method === "MANUAL_BCA" && Number(row.payments) < 1).map((row) => row.id));
    const strays = allOrders.filter((row) => !orderIds.includes(row.id) && row.method === "WALLET");
    c.none("no wallet order a client was never told about", strays.map((row) => row.id));
    const wrong: string[] = [];
    for (const member of members) {
      const [row] = await store.query<{ total: string }>("SELECT COALESCE(SUM(total), 0) AS total FROM orders WHERE user_id = ? AND payment_method_code = 'WALLET'", [member.id]);
      if ((await walletBalance(store, member.id)) !== FUNDING - Number(row.total)) wrong.push(member.id);
    }
    c.none("each member's wallet = funding − their orders", wrong, members.length);
    return c.result();
  },
};

function message(response: GqlResponse): string {
  return (response.networkError ?? response.errors?.[0]?.message ?? "").slice(0, 100);
}
