import { checkout, codeOf, simulatePayment } from "../../drill/lib/workload";
import { verdict, type Scenario } from "../lib/bench";
import { Follower, inLanes, within } from "../lib/follower";
import { PENDING_THEN_SUCCESS, SUCCEEDS_AT_ONCE } from "../lib/orders";
import { sleep, withMemorySampling } from "../lib/processes";
import { supplierAnswers } from "../lib/sn-latency";
import { summarise } from "../lib/stats";
import type { BenchStore } from "../lib/store";
import type { Row } from "../lib/table";

const ORDERS = 1000;
const BUYERS = 50;
const ALL_WITHIN_S = 15;
const WARMUP_ORDERS = 50;
const IDLE_ORDERS = 40;
const IDLE_RATE = 5;
const LOAD_P50_MS = 10;
const LOAD_P99_MS = 50;
const IDLE_P99_MS = 15;
/** a store this far behind the target stops getting new orders, so the scenario stays within its 2 minutes */
const ISSUE_BUDGET_MS = 3 * ALL_WITHIN_S * 1000;
/** how long after its payment an order may take to reach SUCCESS before it counts as lost */
const SUCCESS_DEADLINE_MS = 30_000;

interface FlowResult {
  orders: number;
  /** orders checked out before the issue budget ran out */
  started: number;
  /** first checkout sent → last SN received */
  seconds: number;
  succeeded: number;
  errors: Record<string, number>;
  /** per order: checkout sent → SN received, ms */
  endToEnd: number[];
  /** per step, ms: the checkout answered, the follower has the current state, simulatePayment answered */
  steps: { checkout: number[]; follow: number[]; pay: number[] };
  /** per order: the supplier's Sukses reached the store → SN received, ms, by way */
  push: { answer: number[]; callback: number[] };
}

/**
 * The whole guest flow over the store's public surfaces: a guest checkout
 * (Tripay QRIS) over HTTP, a graphql-ws follower per order (its own socket,
 * current state received), simulatePayment (the gateway simulator pays and
 * POSTs its callback → Bull → PAID), the supplier worker buys at the Digiflazz
 * simulator, the SN arrives on the follower. Half the orders get the SN in
 * the supplier's answer, half pending then in its callback (zero delay).
 * Under load: 1,000 orders from 50 buyers at once; idle: 40 orders paid at 5/s.
 */
export const guestFlow: Scenario = {
  name: "guest-flow",
  title: "full guest flow, 1,000 orders: checkout → gateway callback → Bull → supplier → SN on the subscription",
  async run(bench) {
    const store = await bench.store();
    await store.startApi();
    bench.fulfilmentScenarios.push(guestFlow.name);
    const product = await store.fulfilmentProduct();
    const flow = (count: number, pace?: number) => runFlow(store, product, count, pace);
    if (bench.warmupSeconds > 0) await flow(WARMUP_ORDERS);
    bench.log(`  ${ORDERS} guest orders, ${BUYERS} buyers at once`);
    const { result: load, peaksMb } = await withMemorySampling([store.api, store.worker], () => flow(ORDERS));
    bench.log(`  ${IDLE_ORDERS} guest orders paid at ${IDLE_RATE}/s (idle)`);
    const idle = await flow(IDLE_ORDERS, IDLE_RATE);

    const loadPush = summarise([...load.push.answer, ...load.push.callback], 0, 0, 1);
    const idlePush = summarise([...idle.push.answer, ...idle.push.callback], 0, 0, 1);
    const endToEnd = summarise(load.endToEnd, 0, 0, 1);
    const lost = load.orders - load.succeeded;
    const peaks = { apiPeakMb: peaksMb.get(store.api), workerPeakMb: peaksMb.get(store.worker) };
    const rows: Row[] = [
      {
        scenario: guestFlow.name,
        measure: `${ORDERS} guest orders, checkout → SN on the subscription`,
        load: `${BUYERS} buyers at once`,
        throughput: load.succeeded / load.seconds,
        p50: endToEnd.p50,
        p95: endToEnd.p95,
        p99: endToEnd.p99,
        errors: describe(load.errors),
        ...peaks,
        target: `all SUCCESS within ${ALL_WITHIN_S} s`,
        verdict: verdict(lost === 0 && load.seconds <= ALL_WITHIN_S),
        note: `${load.started < load.orders ? `only ${load.started} orders started: no new checkout after ${ISSUE_BUDGET_MS / 1000} s; ` : ""}${load.succeeded}/${load.orders} SN received, the last ${load.seconds.toFixed(1)} s after the first checkout was sent; p50/p99 are per order, checkout sent → SN received; per step p50 / p99: ${stepNote(load.steps)}`,
      },
      pushRow("SN push latency under load", `during the ${ORDERS}`, load, loadPush, `p50 <= ${LOAD_P50_MS} ms, p99 <= ${LOAD_P99_MS} ms`, loadPush.p50 <= LOAD_P50_MS && loadPush.p99 <= LOAD_P99_MS),
      pushRow("SN push latency idle", `${IDLE_RATE}/s, ${IDLE_ORDERS} orders`, idle, idlePush, `p50 <= ${LOAD_P50_MS} ms, p99 <= ${IDLE_P99_MS} ms`, idlePush.p50 <= LOAD_P50_MS && idlePush.p99 <= IDLE_P99_MS),
    ];
    return rows;
  },
};

function pushRow(measure: string, load: string, flow: FlowResult, push: ReturnType<typeof summarise>, target: string, pass: boolean): Row {
  const way = (name: string, values: number[]) => {
    const s = summarise(values, 0, 0, 1);
    return `${name} p50 ${s.p50.toFixed(0)} / p99 ${s.p99.toFixed(0)} ms (${values.length})`;
  };
  return {
    scenario: guestFlow.name,
    measure,
    load,
    p50: push.p50,
    p95: push.p95,
    p99: push.p99,
    errors: String(flow.started - push.requests),
    target,
    verdict: verdict(push.requests === flow.started && pass),
    note: `supplier's Sukses reached the store → the follower has it: ${way("SN in the supplier's answer (worker)", flow.push.answer)}; ${way("SN in its callback (API)", flow.push.callback)}; the simulator's timestamps are whole ms`,
  };
}

const stepNote = (steps: FlowResult["steps"]) =>
  Object.entries(steps)
    .map(([step, values]) => {
      const s = summarise(values, 0, 0, 1);
      return `${step} ${s.p50.toFixed(0)} / ${s.p99.toFixed(0)} ms`;
    })
    .join(", ");

const describe = (errors: Record<string, number>) => {
  const entries = Object.entries(errors);
  const count = entries.reduce((sum, [, n]) => sum + n, 0);
  return count === 0 ? "0" : `${count} (${entries.map(([code, n]) => `${n} ${code}`).join(", ")})`;
};

/**
 * `count` guest orders through the whole flow: `BUYERS` at once (each buyer
 * checks out, follows, pays, and goes on to the next order), or with
 * `pace` set, followers opened first and one payment every 1/pace s.
 */
async function runFlow(store: BenchStore, product: { variantId: string; paymentMethod: string }, count: number, pace?: number): Promise<FlowResult> {
  const errors: Record<string, number> = {};
  const fail = (code: string) => void (errors[code] = (errors[code] ?? 0) + 1);
  const sentAt = new Map<string, number>();
  const steps: FlowResult["steps"] = { checkout: [], follow: [], pay: [] };
  const done: Promise<{ orderId: string; at: number } | null>[] = [];
  const started = Date.now();
  let issued = 0;

  const open = async (index: number): Promise<Follower | null> => {
    const phone = index % 2 === 0 ? SUCCEEDS_AT_ONCE : PENDING_THEN_SUCCESS;
    const t0 = Date.now();
    const { response, placed } = await checkout(store.url, { variantId: product.variantId, inputs: { phone }, paymentMethod: product.paymentMethod });
    if (!placed || response.errors || placed.paymentError) return fail(`checkout:${codeOf(response) ?? "PAYMENT_ERROR"}`), null;
    const t1 = Date.now();
    const follower = await Follower.open(store.url, placed.orderId, placed.trackingToken).catch(() => null);
    if (!follower) return fail("subscribe"), null;
    steps.checkout.push(t1 - t0);
    steps.follow.push(Date.now() - t1);
    sentAt.set(placed.orderId, t0);
    return follower;
  };
  const pay = async (follower: Follower) => {
    const t0 = Date.now();
    const paid = await simulatePayment(store.url, follower.orderId);
    steps.pay.push(Date.now() - t0);
    if (paid.errors || paid.networkError) {
      fail(`payment:${codeOf(paid)}`);
      await follower.close();
      return;
    }
    done.push(
      within(follower.until("SUCCESS"), SUCCESS_DEADLINE_MS).then(async (update) => {
        await follower.close(); // the guest leaves the page
        return update && { orderId: follower.orderId, at: update.wallMs };
      }),
    );
  };

  if (pace === undefined) {
    await inLanes(count, BUYERS, async (index) => {
      if (Date.now() - started > ISSUE_BUDGET_MS) return;
      issued += 1;
      const follower = await open(index);
      if (follower) await pay(follower);
    });
  } else {
    const followers: Follower[] = [];
    issued = count;
    for (let index = 0; index < count; index += 1) {
      const follower = await open(index);
      if (follower) followers.push(follower);
    }
    const t0 = Date.now();
    await Promise.all(followers.map(async (follower, i) => {
      await sleep(t0 + (i * 1000) / pace - Date.now());
      await pay(follower);
    }));
  }
  const received = (await Promise.all(done)).filter((update) => update !== null);
  const lost = done.length - received.length;
  if (lost > 0) errors.NO_SN_IN_TIME = lost;

  const answers = await supplierAnswers(store, received.map((update) => update.orderId));
  const push = { answer: [] as number[], callback: [] as number[] };
  for (const update of received) {
    const answer = answers.get(update.orderId);
    if (answer) push[answer.way].push(update.at - answer.at);
  }
  const last = Math.max(started, ...received.map((update) => update.at));
  return {
    orders: count,
    started: issued,
    seconds: (last - started) / 1000,
    succeeded: received.length,
    errors,
    endToEnd: received.map((update) => update.at - sentAt.get(update.orderId)!),
    steps,
    push,
  };
}
