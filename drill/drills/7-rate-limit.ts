import { fundedMember, mlInputs, nextUnique, tally, walletBalance } from "../lib/orders";
import { Checks, type Drill } from "../lib/report";
import { checkout, codeOf, login, must, PASSWORD, sleep } from "../lib/workload";

/**
 * 7. A reseller's API token sends more than its budget: exactly the budget is
 * accepted per window, the rest is refused RATE_LIMITED (HTTP 429, with
 * retryAfterSeconds) before anything runs — no order, no debit, no purchase.
 */
export const rateLimitDrill: Drill = {
  id: 7,
  name: "rate-limit",
  title: "a reseller token past its rate limit",
  async run({ store, rng, quick, log }) {
    const c = new Checks();
    const budget = quick ? 15 : 40;
    const windows = quick ? 1 : 2;
    const sent = budget * 3;
    const account = await fundedMember(store, "drill7", 50_000_000);
    await must(store.url, `mutation ($id: ID!) { approveReseller(userId: $id) { id } }`, { id: account.id }, store.admin.token);
    await must(store.url, `mutation ($id: ID!, $n: Int) { setUserApiRateLimit(userId: $id, perMinute: $n) { id } }`, { id: account.id, n: budget }, store.admin.token);
    const reseller = await login(store.url, account.email, PASSWORD);
    const created = await must(store.url, `mutation { createApiToken(name: "drill", scopes: [ORDERS_WRITE, ORDERS_READ, CATALOG_READ, WALLET_READ]) { token } }`, {}, reseller.token);
    const token = created.createApiToken.token as string;
    const variantId = await store.variantId("ML86");
    const balanceBefore = await walletBalance(store, account.id);
    c.inject(`a reseller API token with a budget of ${budget} requests per minute sends ${sent} wallet checkouts at once, in ${windows} window(s)`);
    c.inFlight = sent;

    const accepted: number[] = [];
    const refusedKeys: string[] = [];
    const acceptedOrders: string[] = [];
    const refusals: string[] = [];
    const badRefusals: string[] = [];
    let retryAfter = 0;
    for (let window = 0; window < windows; window++) {
      if (window > 0) {
        const wait = retryAfter + 1;
        log(`drill 7: waiting ${wait} s for the next window`);
        await sleep(wait * 1000);
      }
      const answers = await Promise.all(
        Array.from({ length: sent }, async () => {
          await sleep(rng.int(0, 100));
          return checkout(store.url, { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: "WALLET", token });
        }),
      );
      let ok = 0;
      for (const answer of answers) {
        const code = codeOf(answer.response);
        if (code === "RATE_LIMITED") {
          refusedKeys.push(answer.idempotencyKey);
          refusals.push(code);
          const retry = answer.response.errors?.[0]?.extensions?.retryAfterSeconds;
          if (answer.response.status !== 429 || !(typeof retry === "number" && retry > 0 && retry <= 60)) badRefusals.push(`HTTP ${answer.response.status}, retryAfterSeconds ${String(retry)}`);
          else retryAfter = Math.max(retryAfter, retry);
        } else if (answer.placed && !answer.response.errors) {
          ok += 1;
          acceptedOrders.push(answer.placed.orderId);
        } else refusals.push(code ?? "NO_CODE");
      }
      accepted.push(ok);
    }
    c.equal("exactly the budget accepted per window", accepted, accepted.map(() => budget));
    c.equal("every other request refused RATE_LIMITED", tally(refusals), tally(Array(windows * (sent - budget)).fill("RATE_LIMITED")));
    c.none("each refusal is HTTP 429 with retryAfterSeconds (1–60)", badRefusals, refusals.length);
    const [orders] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE user_id = ?", [account.id]);
    c.equal("one order per accepted request, none for a refused one", Number(orders.n), acceptedOrders.length);
    const [leaked] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE idempotency_key IN (?)", [refusedKeys.length ? refusedKeys : [""]]);
    c.equal("no order under a refused request's idempotency key", Number(leaked.n), 0);
    const [debits] = await store.query<{ n: number; total: string }>("SELECT COUNT(*) AS n, COALESCE(SUM(-amount), 0) AS total FROM balance_mutations WHERE user_id = ? AND type = 'PURCHASE'", [account.id]);
    const [spent] = await store.query<{ total: string }>("SELECT COALESCE(SUM(total), 0) AS total FROM orders WHERE id IN (?)", [acceptedOrders.length ? acceptedOrders : [""]]);
    c.equal("the wallet debited only for accepted orders", { debits: Number(debits.n), rupiah: Number(debits.total) }, { debits: acceptedOrders.length, rupiah: Number(spent.total) });
    c.equal("wallet balance = before − accepted orders", await walletBalance(store, account.id), balanceBefore - Number(spent.total));
    return c.result();
  },
};
