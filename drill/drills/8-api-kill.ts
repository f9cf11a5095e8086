import { ulid } from "ulid";
import { fundedMember, mlInputs, nextUnique, tally, walletBalance } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { checkout, codeOf, pool, sleep, type Account, type CheckoutRequest } from "../lib/workload";

interface Client {
  request: CheckoutRequest & { idempotencyKey: string };
  member?: Account;
  first?: { orderId?: string; code?: string; at: number };
  retry?: { orderId?: string; code?: string };
}

const FUNDING = 2_000_000;

/**
 * 8. A second API process takes 100 concurrent checkouts (members paying
 * from the wallet, guests through Tripay) and is killed -9 in the middle.
 * Every client then retries with its idempotency key on the surviving API.
 * No wallet debit without its order, no order without its ledger rows, and a
 * client whose first attempt got through gets the original order back.
 */
export const apiKillDrill: Drill = {
  id: 8,
  name: "api-kill",
  title: "kill -9 an API process among 100 concurrent checkouts",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const count = quick ? 40 : 100;
    const api2 = await store.startExtraApi("api2");
    try {
      const members = await pool(Array.from({ length: 10 }, (_, i) => i), 5, (i) => fundedMember(store, `drill8m${i}`, FUNDING));
      const variantId = await store.variantId("ML86");
      const clients: Client[] = Array.from({ length: count }, (_, i) => {
        const idempotencyKey = ulid();
        const inputs = mlInputs("succeeds", nextUnique());
        if (i % 2 === 0) {
          const member = members[(i / 2) % members.length];
          return { member, request: { variantId, inputs, paymentMethod: "WALLET", token: member.token, idempotencyKey } };
        }
        return { request: { variantId, inputs, paymentMethod: "TRIPAY_QRIS", idempotencyKey } };
      });
      // warm the new process up (its first requests compile code paths), so the burst meets a running API
      for (let i = 0; i < 3; i++) await checkout(api2.url, { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "TRIPAY_QRIS" });
      const killAfterAnswers = rng.int(Math.floor(count * 0.2), Math.floor(count * 0.5));
      c.inject(`a second API process (pid ${api2.pid}) gets ${count} checkouts at once (half wallet, half Tripay), each after a seeded 0–500 ms jitter; kill -9 once ${killAfterAnswers} have been answered`);
      const started = Date.now();
      let killedAt = 0;
      let answered = 0;
      let killing: Promise<void> | undefined;
      await Promise.all(
        clients.map(async (client) => {
          await sleep(rng.int(0, 500));
          const sentAt = Date.now();
          const { response, placed } = await checkout(api2.url, client.request, 20_000);
          client.first = { orderId: placed && !response.errors ? placed.orderId : undefined, code: placed && !response.errors ? undefined : codeOf(response), at: sentAt };
          if (++answered === killAfterAnswers) {
            killedAt = Date.now();
            killing = api2.kill();
          }
        }),
      );
      await killing;
      const inFlight = clients.filter((client) => client.first!.at <= killedAt && client.first!.code === "NETWORK").length;
      c.inFlight = inFlight;
      c.note(`first attempts: ${tally(clients.map((client) => client.first!.orderId ? "order" : client.first!.code ?? "?"))} (${inFlight} in flight at the kill, ${((killedAt - started) / 1000).toFixed(2)} s in)`);

      // everyone retries with the same key on the API that lives
      log(`drill 8: api2 killed; ${count} clients retry on the other API`);
      await pool(clients, 20, async (client) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const { response, placed } = await checkout(store.url, client.request, 20_000);
          client.retry = { orderId: placed && !response.errors ? placed.orderId : undefined, code: placed && !response.errors ? undefined : codeOf(response) };
          if (client.retry.orderId || client.retry.code !== "NETWORK") return;
          await sleep(500);
        }
      });

      const unanswered = clients.filter((client) => !client.first!.orderId).map((client) => client.request.idempotencyKey);
      const [madeByDead] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE idempotency_key IN (?) AND created_at <= ?", [unanswered.length ? unanswered : [""], new Date(killedAt)]);
      c.note(`${madeByDead.n} of the ${unanswered.length} clients without an answer had an order committed by the dead process; their retry returned it`);
      c.none("every client has an order after retrying with its key", clients.filter((client) => !client.retry?.orderId).map((client) => `${client.request.idempotencyKey}:${client.retry?.code}`), count);
      c.none(
        "a client whose first attempt got an order gets the same order back",
        clients.filter((client) => client.first!.orderId && client.first!.orderId !== client.retry?.orderId).map((client) => client.request.idempotencyKey),
        clients.filter((client) => client.first!.orderId).length,
      );
      const unclean = clients.filter((client) => !client.first!.orderId && !["NETWORK", "INTERNAL_SERVER_ERROR"].includes(client.first!.code ?? "")).map((client) => client.first!.code ?? "?");
      c.none("first attempts that failed failed only because the process died (no answer / internal error)", unclean, clients.filter((client) => !client.first!.orderId).length);
      const keys = clients.map((client) => client.request.idempotencyKey);
      const byKey = await store.query<{ k: string; n: number }>("SELECT idempotency_key AS k, COUNT(*) AS n FROM orders WHERE idempotency_key IN (?) GROUP BY idempotency_key", [keys]);
      c.equal("one order per idempotency key", { keys: byKey.length, orders: byKey.reduce((n, row) => n + Number(row.n), 0) }, { keys: count, orders: count });

      const orderIds = clients.map((client) => client.retry?.orderId).filter(Boolean) as string[];
      const memberIds = members.map((member) => member.id);
      const debits = await store.query<{ ref: string; amount: string; orderId: string | null; total: string | null }>(
        `SELECT b.reference_id AS ref, b.amount, o.id AS orderId, o.total FROM balance_mutations b LEFT JOIN orders o ON o.id = b.reference_id
          WHERE b.type = 'PURCHASE' AND b.user_id IN (?)`,
        [memberIds],
      );
      c.none("no wallet debit without its order", debits.filter((row) => !row.orderId).map((row) => row.ref), debits.length);
      c.none("each debit is its order's total", debits.filter((row) => row.orderId && Number(row.amount) !== -Number(row.total)).map((row) => row.ref), debits.length);
      const walletOrders = clients.filter((client) => client.member).map((client) => client.retry?.orderId).filter(Boolean) as string[];
      const debitCount = new Map<string, number>();
      for (const row of debits) debitCount.set(row.ref, (debitCount.get(row.ref) ?? 0) + 1);
      c.none("each wallet order has exactly one debit", walletOrders.filter((id) => debitCount.get(id) !== 1).map((id) => `${id}×${debitCount.get(id) ?? 0}`), walletOrders.length);
      const rows = await store.query<{ id: string; status: string; items: number; lastTo: string | null; transitions: number; payments: number; pendingPayments: number; method: string }>(
        `SELECT o.id, o.status, o.payment_method_code AS method,
                (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS items,
                (SELECT COUNT(*) FROM order_transitions t WHERE t.order_id = o.id) AS transitions,
                (SELECT t.to_status FROM order_transitions t WHERE t.order_id = o.id ORDER BY t.id DESC LIMIT 1) AS lastTo,
                (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) AS payments,
                (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'PENDING') AS pendingPayments
           FROM orders o WHERE o.id IN (?)`,
        [orderIds],
      );
      c.none("no order without its items and transaction log (last entry = its status)", rows.filter((row) => Number(row.items) !== 1 || Number(row.transitions) < 1 || row.lastTo !== row.status).map((row) => row.id), rows.length);
      const guests = rows.filter((row) => row.method === "TRIPAY_QRIS");
      c.none("each guest order has an open Tripay payment after the retry", guests.filter((row) => Number(row.pendingPayments) !== 1).map((row) => `${row.id}:${row.status}:${row.pendingPayments}/${row.payments}`), guests.length);
      const wrong: string[] = [];
      for (const member of members) {
        const spent = clients.filter((client) => client.member?.id === member.id && client.retry?.orderId).length;
        const [row] = await store.query<{ total: string }>("SELECT COALESCE(SUM(total), 0) AS total FROM orders WHERE user_id = ? AND payment_method_code = 'WALLET'", [member.id]);
        if ((await walletBalance(store, member.id)) !== FUNDING - Number(row.total)) wrong.push(`${member.id} (${spent} orders)`);
      }
      c.none("each member's wallet = funding − their orders", wrong, members.length);
      return c.result();
    } finally {
      await api2.dispose();
    }
  },
};
