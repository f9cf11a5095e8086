import { verdict, type Scenario } from "../lib/bench";
import { sleep } from "../lib/processes";
import type { Row } from "../lib/table";

const API_IDLE_MB = 150;
const API_PEAK_MB = 400;
const WORKER_IDLE_MB = 150;
const WORKER_PEAK_MB = 300;

/**
 * Resident memory of the API and worker processes: idle = a few seconds after
 * boot, before any load; peak = the kernel's high-water mark (VmHWM) over the
 * whole run, every API process the run started included. Runs last.
 */
export const memory: Scenario = {
  name: "memory",
  title: "resident memory of the API and the worker: idle after boot, peak over the run",
  async run(bench) {
    const store = await bench.store();
    const apiPeak = Math.max(...store.apiProcesses.map((child) => child.peakRssMb()));
    const workerPeak = store.worker.peakRssMb();
    await sleep(3000);
    const apiNow = store.api.rssMb();
    const how = bench.tsNode
      ? "under ts-node (--ts-node): the TypeScript compiler and the transpiled sources stay in memory, well over 100 MB that npm run start:prod does not carry"
      : "compiled build, started as npm run start:prod does";
    const row = (measure: string, value: number, limit: number, column: "apiPeakMb" | "workerPeakMb", note?: string): Row => ({
      scenario: "memory",
      measure,
      load: "",
      [column]: value,
      target: `<= ${limit} MB RSS`,
      verdict: verdict(value <= limit),
      note,
    });
    return [
      row("API idle after boot", store.idle.apiMb ?? 0, API_IDLE_MB, "apiPeakMb", how),
      row("API peak over the run", apiPeak, API_PEAK_MB, "apiPeakMb", `${store.apiProcesses.length} API process(es) this run; RSS 3 s after the last load: ${apiNow.toFixed(0)} MB`),
      row("worker idle after boot", store.idle.workerMb ?? 0, WORKER_IDLE_MB, "workerPeakMb"),
      row("worker peak over the run", workerPeak, WORKER_PEAK_MB, "workerPeakMb", workerNote(bench.fulfilmentScenarios)),
    ];
  },
};

/** Whether the worker's peak covers fulfilment: only when a scenario drove orders through it this run. */
function workerNote(fulfilment: string[]): string {
  if (fulfilment.length === 0) return "no fulfilment scenario ran before it in this run (run it with guest-flow and supplier-worker): this is the peak of a worker with little to do";
  return `includes fulfilment: ${fulfilment.join(", ")} ran orders through this worker (paid callbacks, supplier purchases, results)`;
}
