import { graphqlBody, latencyRate, loadRow, pacedNote, unexpectedErrors, verdict, type Scenario } from "../lib/bench";
import type { Row } from "../lib/table";
import type { BenchStore } from "../lib/store";
import { countStatements } from "../lib/statements";
import { CONNECTIONS, PAGE, listingBody, listingOutcome, listingSetup } from "./listing-shared";

const RATIO_TARGET = 0.35;
const P99_TARGET_MS = 60;
const MAX_STATEMENTS = 4;

/**
 * The product listing with the catalog cache off (CATALOG_CACHE_TTL_SECONDS=0:
 * every request reads MySQL), 50 products with the member's prices out of
 * 5,000, against an in-memory resolver answering the same shape. First counts
 * the SQL statements of one request at page sizes 10, 50 and 100. p99 at a
 * fixed rate: the target throughput, or 80 % of capacity when that is lower.
 */
export const listing: Scenario = {
  name: "listing",
  title: "product listing, uncached: SQL statements per request, capacity vs an in-memory resolver, p99",
  async run(bench) {
    const store = await bench.store();
    const { member } = await listingSetup(store);
    const rows: Row[] = [await statementRow(store, member.token)];

    await store.startApi({ CATALOG_CACHE_TTL_SECONDS: "0" });
    const bare = await bench.bareServer();
    const memberRequest = { body: listingBody(), headers: { authorization: `Bearer ${member.token}` } };
    const base = await bench.measure("in-memory listing", { url: bare.url, connections: CONNECTIONS, next: () => ({ body: listingBody() }), classify: listingOutcome });
    const full = await bench.measure("Lapak listing, uncached", { url: store.graphqlUrl, connections: CONNECTIONS, next: () => memberRequest, classify: listingOutcome });
    const { rate, note } = latencyRate(RATIO_TARGET * base.throughput, full.throughput);
    const paced = await bench.measure("Lapak listing, uncached, at a fixed rate", { url: store.graphqlUrl, connections: CONNECTIONS, rate, next: () => memberRequest, classify: listingOutcome });
    const ratio = full.throughput / base.throughput;
    rows.push(
      loadRow("listing", "in-memory resolver, same shape (baseline)", base, { verdict: "INFO", apiPeakMb: undefined, workerPeakMb: undefined }),
      loadRow("listing", `Lapak uncached, ${PAGE}/page, capacity`, full, {
        ratio,
        target: `>= ${RATIO_TARGET * 100}% of baseline`,
        verdict: verdict(ratio >= RATIO_TARGET && unexpectedErrors(full) === 0),
      }),
      loadRow("listing", "Lapak uncached, fixed rate", paced, {
        target: `p99 <= ${P99_TARGET_MS} ms at ${CONNECTIONS} conn`,
        verdict: verdict(paced.p99 <= P99_TARGET_MS && unexpectedErrors(paced) === 0),
        note: pacedNote(paced, note),
      }),
    );
    return rows;
  },
};

/** SQL statements of one listing request (cold catalog cache, real sign-in, session verified before) at 10, 50 and 100 per page. */
async function statementRow(store: BenchStore, token: string): Promise<Row> {
  const cold = () => store.composition.services.catalogCache.invalidate();
  const listed = (status: number, text: string) => listingOutcome(status, text) === "ok";
  const sizes = [10, 50, 100];
  // the same member on a query that reads nothing: what signing in costs, first and then from the session cache
  const ping = { body: graphqlBody("{ serverInfo { name } }"), token, ok: (status: number, text: string) => status === 200 && !text.includes('"errors"') };
  const [firstAuth, auth, ...totals] = await countStatements(store, [
    ping,
    ping,
    ...sizes.map((first) => ({ body: listingBody(first), token, ok: listed, before: cold })),
  ]);
  const constant = totals.every((total) => total === totals[0]);
  return {
    scenario: "listing",
    measure: "SQL statements per request (10/50/100 per page)",
    load: "1 request each, cold",
    errors: "0",
    target: `constant, <= ${MAX_STATEMENTS}`,
    verdict: verdict(constant && totals[0] <= MAX_STATEMENTS),
    note: `total ${totals.join("/")} = signing in the member ${auth} (${firstAuth} on its first request) + listing ${totals.map((total) => total - auth).join("/")}`,
  };
}
