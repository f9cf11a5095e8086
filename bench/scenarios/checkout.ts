import { latencyRate, loadRow, pacedNote, unexpectedErrors, verdict, type Scenario } from "../lib/bench";
import { countStatements } from "../lib/statements";
import type { Row } from "../lib/table";
import { checkoutBody, checkoutOutcome, ledgerRow } from "./money";

const TARGET = 300;
const STRETCH = 500;
const MEMBERS = 400;
const BALANCE = 1_000_000_000;
const P99_TARGET_MS: Record<number, number> = { 50: 150, 200: 500 };

/**
 * Wallet checkouts by distinct members (400, taken in turn, so no two requests
 * in flight share a wallet): at 50 and at 200 concurrent requests, capacity
 * (closed loop) and p99 at a fixed rate of 300 checkouts/s, or 80 % of the
 * capacity when that is lower (open model, at most that many in flight).
 * Then the invariant checker.
 */
export const checkout: Scenario = {
  name: "checkout",
  title: "wallet checkout, distinct members, 50 and 200 concurrent",
  async run(bench) {
    const store = await bench.store();
    await store.startApi();
    const { variantId } = await store.checkoutProduct();
    bench.log(`  seeding ${MEMBERS} members with Rp${BALANCE} each`);
    const members = await store.members(MEMBERS, BALANCE);
    const next = (i: number) => {
      const member = members[i % members.length];
      return { body: checkoutBody(variantId), headers: { authorization: `Bearer ${member.token}` } };
    };
    const [statements] = await countStatements(store, [{ ...next(0), token: members[0].token, ok: (status, body) => checkoutOutcome(status, body) === "ok" }]);
    const rows: Row[] = [{ scenario: "checkout", measure: "SQL statements per wallet checkout", load: "1 request", errors: "0", verdict: "INFO", note: `${statements} statements (sign-in included), one transaction` }];
    for (const concurrency of [50, 200]) {
      const capacity = await bench.measure(`checkout, ${concurrency} concurrent`, { url: store.graphqlUrl, connections: concurrency, next, classify: checkoutOutcome });
      rows.push(
        loadRow("checkout", `${concurrency} concurrent, capacity`, capacity, {
          target: `>= ${TARGET}/s (stretch ${STRETCH}), 0 errors`,
          verdict: verdict(capacity.throughput >= TARGET && unexpectedErrors(capacity) === 0),
          note: capacity.throughput >= STRETCH ? "stretch target met" : undefined,
        }),
      );
      const { rate, note } = latencyRate(TARGET, capacity.throughput);
      const paced = await bench.measure(`checkout at a fixed rate, up to ${concurrency} in flight`, { url: store.graphqlUrl, connections: concurrency, rate, next, classify: checkoutOutcome });
      rows.push(
        loadRow("checkout", `fixed rate, up to ${concurrency} in flight`, paced, {
          target: `p99 <= ${P99_TARGET_MS[concurrency]} ms, 0 errors`,
          verdict: verdict(paced.p99 <= P99_TARGET_MS[concurrency] && unexpectedErrors(paced) === 0),
          note: pacedNote(paced, note),
        }),
      );
    }
    rows.push(await ledgerRow("checkout", store, (count) => (bench.ledgerViolations += count)));
    return rows;
  },
};
