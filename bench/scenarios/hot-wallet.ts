import { loadRow, unexpectedErrors, verdict, type Scenario } from "../lib/bench";
import { Child } from "../lib/processes";
import type { Summary } from "../lib/stats";
import type { BenchStore } from "../lib/store";
import { countStatements } from "../lib/statements";
import type { Row } from "../lib/table";
import { CHECKOUT, checkoutBody, checkoutOutcome, ledgerRow } from "./money";

const CONCURRENCY = 200;
const RATIO_TARGET = 0.4;
const POOL_SIZE = 8; // the API's DATABASE_POOL_SIZE default; the raw loop gets the same
const AFFORDABLE = 50;

/**
 * One reseller's wallet, 200 concurrent purchases through its API token, against
 * the same debit written straight with mysql2 (bench/baselines/raw-debit.ts,
 * 200 loops on one wallet, same pool size). Then 200 purchases at once on a
 * second reseller's balance that pays for exactly 50: 50 must succeed, 150 be
 * refused with INSUFFICIENT_BALANCE and leave nothing behind. Then the
 * invariant checker.
 */
export const hotWallet: Scenario = {
  name: "hot-wallet",
  title: "hot wallet: one reseller, 200 concurrent purchases vs a raw mysql2 debit loop; refusals",
  async run(bench) {
    const store = await bench.store();
    await store.startApi();
    const { variantId } = await store.checkoutProduct();
    const hot = await store.reseller("hot-reseller", 10_000_000_000);
    const first = await store.gql(CHECKOUT, JSON.parse(checkoutBody(variantId)).variables, hot.apiToken);
    const price: number = first.checkout.order.total;

    // raw mysql2 baseline on a wallet of its own
    const raw = await store.register("raw-debit");
    await store.credit(raw.id, 1_000_000_000_000);
    bench.log(`  raw mysql2 debit: ${CONCURRENCY} loops, pool ${POOL_SIZE}, ${bench.warmupSeconds}s warm-up + ${bench.seconds}s`);
    const loop = Child.start("raw-debit", "bench/baselines/raw-debit.ts", {
      DATABASE_URL: store.env.DATABASE_URL, USER_ID: raw.id, SECONDS: String(bench.seconds), WARMUP_SECONDS: String(bench.warmupSeconds),
      CONCURRENCY: String(CONCURRENCY), POOL_SIZE: String(POOL_SIZE), AMOUNT: String(price),
    });
    const [line] = await loop.waitForLine(/^\{.*\}$/, (bench.seconds + bench.warmupSeconds + 60) * 1000);
    await loop.stop();
    const base = JSON.parse(line) as Summary;

    const [statements] = await countStatements(store, [{ body: checkoutBody(variantId), token: hot.apiToken, ok: (status, body) => checkoutOutcome(status, body) === "ok" }]);
    const request = () => ({ body: checkoutBody(variantId), headers: { authorization: `Bearer ${hot.apiToken}` } });
    const full = await bench.measure("hot wallet checkout", { url: store.graphqlUrl, connections: CONCURRENCY, next: request, classify: checkoutOutcome });
    const ratio = full.throughput / base.throughput;
    const rows: Row[] = [
      { scenario: "hot-wallet", measure: "raw mysql2 debit loop (baseline)", load: `closed, ${CONCURRENCY} loops, pool ${POOL_SIZE}`, throughput: base.throughput, p50: base.p50, p95: base.p95, p99: base.p99, errors: "0", verdict: "INFO" },
      loadRow("hot-wallet", "Lapak reseller checkout, one wallet", full, {
        ratio,
        target: `>= ${RATIO_TARGET * 100}% of baseline, 0 errors`,
        verdict: verdict(ratio >= RATIO_TARGET && unexpectedErrors(full) === 0),
        note: `${statements} SQL statements per checkout (API-token sign-in included) against the baseline's 6 (BEGIN, 4 statements, COMMIT)`,
      }),
      await refusalRow(store, variantId, price),
      await ledgerRow("hot-wallet", store, (count) => (bench.ledgerViolations += count)),
    ];
    return rows;
  },
};

/** 200 purchases at once on a balance that pays for 50. */
async function refusalRow(store: BenchStore, variantId: string, price: number): Promise<Row> {
  const dry = await store.reseller("dry-reseller", AFFORDABLE * price);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const response = await fetch(store.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${dry.apiToken}` },
        body: checkoutBody(variantId),
      });
      return (await response.json()) as { data?: { checkout: { alreadyPaid: boolean } }; errors?: { extensions?: { code?: string; reason?: string } }[] };
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const paid = answers.filter((answer) => answer.data?.checkout?.alreadyPaid).length;
  const refused = answers.filter((answer) => answer.errors?.[0]?.extensions?.code === "BAD_USER_INPUT" && answer.errors[0].extensions.reason === "INSUFFICIENT_BALANCE").length;
  const db = store.infra.dataSource;
  const [wallet] = await db.query("SELECT balance FROM wallets WHERE user_id = ?", [dry.id]);
  const [orders] = await db.query("SELECT COUNT(*) AS n FROM orders WHERE user_id = ?", [dry.id]);
  const [mutations] = await db.query("SELECT COUNT(*) AS n FROM balance_mutations WHERE user_id = ?", [dry.id]);
  const [negative] = await db.query("SELECT (SELECT COUNT(*) FROM wallets WHERE balance < 0) + (SELECT COUNT(*) FROM balance_mutations WHERE balance_after < 0 OR balance_before < 0) AS n");
  const facts = { paid, refused, other: CONCURRENCY - paid - refused, balance: Number(wallet.balance), orders: Number(orders.n), mutations: Number(mutations.n), negative: Number(negative.n) };
  const pass = paid === AFFORDABLE && refused === CONCURRENCY - AFFORDABLE && facts.balance === 0 && facts.orders === AFFORDABLE && facts.mutations === AFFORDABLE + 1 && facts.negative === 0;
  return {
    scenario: "hot-wallet",
    measure: `${CONCURRENCY} at once, balance for ${AFFORDABLE}`,
    load: `burst of ${CONCURRENCY}`,
    throughput: CONCURRENCY / seconds,
    errors: facts.other === 0 ? `0 + ${refused} INSUFFICIENT_BALANCE expected` : `${facts.other} unexpected`,
    target: `${AFFORDABLE} paid, rest refused, nothing written, 0 negative`,
    verdict: verdict(pass),
    note: `${paid} paid, ${refused} refused with BAD_USER_INPUT/INSUFFICIENT_BALANCE, ${facts.other} other; balance after ${facts.balance}; ${facts.orders} orders and ${facts.mutations} ledger rows (1 top-up + ${facts.mutations - 1} debits); ${facts.negative} negative balances`,
  };
}
