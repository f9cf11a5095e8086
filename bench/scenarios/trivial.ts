import { graphqlBody, latencyRate, loadRow, pacedNote, unexpectedErrors, verdict, type Scenario } from "../lib/bench";

const CONNECTIONS = 20;
const RATIO_TARGET = 0.6;
const P99_TARGET_MS = 5;

/**
 * `{ serverInfo { name } }` as a guest through the whole API process (request
 * id and access-log middleware, context and loaders, query limits, shield)
 * against `{ hello }` on a bare Apollo server. Capacity is compared closed-loop
 * (both saturated); p99 at a fixed arrival rate: the target throughput (60 %
 * of the baseline's capacity), or 80 % of Lapak's capacity when that is lower.
 */
export const trivial: Scenario = {
  name: "trivial",
  title: "trivial query through the full stack vs a bare Apollo hello server",
  async run(bench) {
    const store = await bench.store();
    await store.startApi();
    const bare = await bench.bareServer();
    const hello = { body: graphqlBody("{ hello }") };
    const serverInfo = { body: graphqlBody("{ serverInfo { name } }") };

    const base = await bench.measure("bare Apollo { hello }", { url: bare.url, connections: CONNECTIONS, next: () => hello });
    const full = await bench.measure("Lapak { serverInfo }", { url: store.graphqlUrl, connections: CONNECTIONS, next: () => serverInfo });
    const { rate, note } = latencyRate(RATIO_TARGET * base.throughput, full.throughput);
    const paced = await bench.measure("Lapak { serverInfo } at a fixed rate", { url: store.graphqlUrl, connections: CONNECTIONS, rate, next: () => serverInfo });
    const ratio = full.throughput / base.throughput;
    return [
      loadRow("trivial", "bare Apollo hello (baseline)", base, { verdict: "INFO", apiPeakMb: undefined, workerPeakMb: undefined }),
      loadRow("trivial", "Lapak full stack, capacity", full, {
        ratio,
        target: `>= ${RATIO_TARGET * 100}% of baseline`,
        verdict: verdict(ratio >= RATIO_TARGET && unexpectedErrors(full) === 0),
      }),
      loadRow("trivial", "Lapak full stack, fixed rate", paced, {
        target: `p99 <= ${P99_TARGET_MS} ms`,
        verdict: verdict(paced.p99 <= P99_TARGET_MS && unexpectedErrors(paced) === 0),
        note: pacedNote(paced, note),
      }),
    ];
  },
};
