import { ulid } from "ulid";
import { fundedMember, mlInputs, nextUnique, orderRows, purchasesAtSupplier, tally, waitForStatuses, walletBalance, type Script } from "../lib/orders";
import { Checks, type Drill, type DrillContext } from "../lib/report";
import type { Rng } from "../lib/rng";
import { Tracker, backwardStep, checkout, codeOf, simulatePayment, sleep, type Account, type CheckoutRequest } from "../lib/workload";
import { RETRYABLE } from "./3-mysql-kill";

const FUNDING = 20_000_000;

type FaultKind =
  | "kill -9 worker"
  | "kill -9 api"
  | "reset MySQL connections"
  | "MySQL latency"
  | "reset Redis connections"
  | "Redis SHUTDOWN NOSAVE"
  | "sandbox stall"
  | "supplier 5xx"
  | "supplier times out after succeeding"
  | "duplicate and reordered callbacks";

const KINDS: FaultKind[] = [
  "kill -9 worker",
  "kill -9 api",
  "reset MySQL connections",
  "MySQL latency",
  "reset Redis connections",
  "Redis SHUTDOWN NOSAVE",
  "sandbox stall",
  "supplier 5xx",
  "supplier times out after succeeding",
  "duplicate and reordered callbacks",
];

interface Fault {
  kind: FaultKind;
  atMs: number;
  forMs: number;
  detail: string;
}

interface Bought {
  orderId: string;
  trackingToken: string;
  total: number;
  wallet: boolean;
  buyer?: Account;
  script: Script;
  paid: boolean;
}

/**
 * 11. Seeded chaos: the seed picks which of the faults above strike, when and
 * for how long, over a full-flow workload (members paying from the wallet,
 * guests paying through gateways, subscribers following every order). Then
 * everything heals, and every invariant the other drills check must hold.
 * The seed is printed; `--seed` replays the same schedule.
 */
export const chaosDrill: Drill = {
  id: 11,
  name: "chaos",
  title: "seeded chaos over a full-flow workload",
  async run(ctx) {
    const { store, rng, quick, log } = ctx;
    const c = new Checks();
    const durationMs = quick ? 20_000 : 60_000;
    const schedule = pickFaults(rng.fork("schedule"), quick ? 3 : 7, durationMs);
    for (const fault of schedule) c.inject(`t+${(fault.atMs / 1000).toFixed(1)} s for ${(fault.forMs / 1000).toFixed(1)} s: ${fault.kind}${fault.detail ? ` (${fault.detail})` : ""}`);
    const members = await Promise.all([0, 1, 2].map((i) => fundedMember(store, `drill11m${i}`, FUNDING)));
    const variantId = await store.variantId("ML86");
    const tracker = new Tracker(store.url);
    const bought: Bought[] = [];
    const errors: { code: string; message: string }[] = [];
    const unfinished: string[] = [];
    const started = Date.now();
    const end = started + durationMs;

    // a client retries with its key until it has its order: for minutes, not a count of tries, because a killed
    // api comes back only once a new process has booted (over a minute on a loaded 2-core machine)
    const attempt = async (request: CheckoutRequest): Promise<{ orderId: string; trackingToken: string; total: number } | null> => {
      const giveUpAt = Date.now() + 240_000;
      for (let i = 0; Date.now() < giveUpAt; i++) {
        const { response, placed } = await checkout(store.url, request, 15_000);
        if (placed && !response.errors && !placed.paymentError) return placed;
        errors.push({ code: placed?.paymentError ? "PAYMENT_ERROR" : (codeOf(response) ?? "NO_CODE"), message: (placed?.paymentError ?? response.networkError ?? response.errors?.[0]?.message ?? "").slice(0, 120) });
        await sleep(Math.min(250 + i * 150, 3_000));
      }
      unfinished.push(request.idempotencyKey!);
      return null;
    };
    const memberLane = async (member: Account, r: Rng) => {
      while (Date.now() < end) {
        const script: Script = r.chance(0.12) ? "fails" : r.chance(0.08) ? "pendingThenSuccess" : "succeeds";
        const request = { variantId, inputs: mlInputs(script, nextUnique()), paymentMethod: "WALLET", token: member.token, idempotencyKey: ulid() };
        const placed = await attempt(request);
        if (placed) {
          bought.push({ ...placed, wallet: true, buyer: member, script, paid: true });
          tracker.follow(placed.orderId, placed.trackingToken);
        }
        await sleep(r.int(100, 400));
      }
    };
    const guestLane = async (method: string, r: Rng) => {
      while (Date.now() < end) {
        const request = { variantId, inputs: mlInputs("succeeds", nextUnique()), paymentMethod: method, idempotencyKey: ulid() };
        const placed = await attempt(request);
        if (!placed) continue;
        const order: Bought = { ...placed, wallet: false, script: "succeeds", paid: false };
        bought.push(order);
        tracker.follow(placed.orderId, placed.trackingToken);
        for (let i = 0; i < 20 && !order.paid; i++) {
          const paid = await simulatePayment(store.url, placed.orderId, 10_000);
          if (!paid.errors && !paid.networkError) order.paid = true;
          else {
            // the gateway may have taken the money before the answer was lost: then the order moved on
            const [row] = await store.query<{ status: string }>("SELECT status FROM orders WHERE id = ?", [placed.orderId]).catch(() => []);
            if (row && row.status !== "PENDING_PAYMENT") order.paid = true;
            else await sleep(500 + i * 250);
          }
        }
        await sleep(r.int(200, 600));
      }
    };
    const faults = schedule.map((fault) => inject(ctx, fault, started));
    await Promise.all([
      ...members.map((member, i) => memberLane(member, rng.fork(`member-${i}`))),
      guestLane("TRIPAY_QRIS", rng.fork("guest-tripay")),
      guestLane("MIDTRANS_GOPAY", rng.fork("guest-midtrans")),
      ...faults,
    ]);
    c.inFlight = bought.length;
    log(`drill 11: workload and faults over; healing the store and waiting for ${bought.length} orders`);
    await store.heal();

    // every order a buyer paid for ends; what the guests could not pay stays unpaid
    const ids = bought.map((b) => b.orderId);
    const paidIds = bought.filter((b) => b.paid).map((b) => b.orderId);
    const { rows, done, seconds } = await waitForStatuses(store, paidIds, ["SUCCESS", "REFUNDED"], 90_000);
    c.expect("every paid order terminal (SUCCESS or REFUNDED) after the faults", done, `${tally(rows.map((row) => row.status))} ${seconds.toFixed(1)} s after healing`);
    const all = await orderRows(store, ids);
    c.note(`orders: ${tally(all.map((row) => row.status))}; client errors: ${tally(errors.map((e) => e.code)) || "none"}`);
    const wrongEnd = bought.filter((b) => b.paid && b.wallet).filter((b) => all.find((row) => row.id === b.orderId)?.status !== (b.script === "fails" ? "REFUNDED" : "SUCCESS"));
    c.none("each wallet order ended as its script says", wrongEnd.map((b) => `${b.orderId}:${b.script}`), bought.filter((b) => b.wallet).length);
    const { byRef, byCustomer } = await purchasesAtSupplier(store, all);
    c.none("purchases at the sandbox = SUCCESS orders", all.filter((row) => row.refId && (row.status === "SUCCESS") !== (byRef.get(row.refId)?.status === "Sukses")).map((row) => `${row.id}:${row.status}`), all.length);
    const unique = all.filter((row) => row.customerNo && !row.customerNo.startsWith("0878000012"));
    c.none("0 doubles at the supplier", unique.filter((row) => (byCustomer.get(row.customerNo) ?? []).length > 1).map((row) => row.customerNo), unique.length);
    const paidTwice = await store.query<{ id: string }>("SELECT order_id AS id FROM order_transitions WHERE order_id IN (?) AND to_status = 'PAID' GROUP BY order_id HAVING COUNT(*) > 1", [ids]);
    c.none("each order PAID at most once", paidTwice.map((row) => row.id), ids.length);
    const wallets: string[] = [];
    for (const member of members) {
      const spent = bought.filter((b) => b.buyer?.id === member.id && all.find((row) => row.id === b.orderId)?.status === "SUCCESS").reduce((n, b) => n + b.total, 0);
      const balance = await walletBalance(store, member.id);
      if (balance !== FUNDING - spent) wallets.push(`${member.id}: ${balance} ≠ ${FUNDING - spent}`);
    }
    c.none("each member's wallet = funding − SUCCESS orders", wallets, members.length);
    c.none("clients got retryable errors only", errors.filter((e) => !RETRYABLE.has(e.code)).map((e) => `${e.code}: ${e.message}`), errors.length);
    c.none("every checkout completed with its idempotency key", unfinished, ids.length + unfinished.length);
    // subscribers: reconnect (the api may have died under them), then the final status, never backwards
    // (a store process revived on a loaded machine takes a while to answer every subscription: wait for them, not a fixed time)
    const marks = await tracker.resubscribe();
    await tracker.caughtUp(marks, 30_000);
    const heard = paidIds.filter((id) => tracker.last(id) !== all.find((row) => row.id === id)?.status);
    if (tracker.errors.length > 0) c.note(`subscription errors: ${tracker.errors.slice(0, 3).join("; ")}`);
    c.none("a (re)connected subscriber hears each paid order's final status", heard.map((id) => `${id}:${tracker.last(id) ?? "nothing"}`), paidIds.length);
    const backward = ids
      .flatMap((id) => {
        const events = (tracker.events.get(id) ?? []).map((e) => e.status);
        return [backwardStep(events.slice(0, marks.get(id))), backwardStep(events.slice(marks.get(id)))].map((step) => step && `${id}: ${step}`);
      })
      .filter(Boolean) as string[];
    c.none("what subscribers heard never went backwards", backward, ids.length);
    await tracker.close();
    return c.result();
  },
};

/** The seed's schedule: `count` faults at random times (and lengths) within the workload. */
export function pickFaults(rng: Rng, count: number, durationMs: number): Fault[] {
  const faults: Fault[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(KINDS);
    const atMs = rng.int(1_000, Math.max(1_000, durationMs - 6_000));
    const forMs = rng.int(1_500, 8_000);
    let detail = "";
    if (kind === "MySQL latency") detail = `${rng.int(20, 80)} ms`;
    if (kind === "sandbox stall") detail = rng.pick(["up", "down", "both"]);
    if (kind === "supplier 5xx") detail = rng.pick(["http500", "http503"]);
    if (kind === "reset MySQL connections" || kind === "reset Redis connections") detail = "every 2 s";
    faults.push({ kind, atMs, forMs, detail });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

async function inject({ store, log }: DrillContext, fault: Fault, started: number): Promise<void> {
  await sleep(started + fault.atMs - Date.now());
  const until = started + fault.atMs + fault.forMs;
  log(`drill 11: t+${((Date.now() - started) / 1000).toFixed(1)} s ${fault.kind}`);
  const { mysql, redis, sandbox } = store.proxies;
  switch (fault.kind) {
    case "kill -9 worker":
      await store.worker.kill();
      await sleep(Math.max(0, until - Date.now()));
      await store.revive(store.worker);
      return;
    case "kill -9 api":
      await store.api.kill();
      await sleep(Math.max(0, until - Date.now()));
      await store.revive(store.api);
      return;
    case "reset MySQL connections":
    case "reset Redis connections":
      while (Date.now() < until) {
        (fault.kind === "reset MySQL connections" ? mysql : redis).reset();
        await sleep(2_000);
      }
      return;
    case "MySQL latency":
      mysql.latency(Number.parseInt(fault.detail, 10), 10);
      await sleep(until - Date.now());
      mysql.latency(0);
      return;
    case "Redis SHUTDOWN NOSAVE":
      await store.redisServer.shutdownNoSave();
      await sleep(Math.max(0, until - Date.now()));
      if (!store.redisServer.running) await store.redisServer.start();
      return;
    case "sandbox stall":
      sandbox.stall(fault.detail as "up" | "down" | "both");
      await sleep(until - Date.now());
      sandbox.unstall();
      return;
    case "supplier 5xx":
      await store.sim("digiflazz", "/faults", { endpoints: { transaction: { [fault.detail]: true } } });
      await sleep(until - Date.now());
      await store.sim("digiflazz", "/faults", { endpoints: { transaction: {} } });
      return;
    case "supplier times out after succeeding":
      await store.sim("digiflazz", "/faults", { endpoints: { transaction: { succeed_then_timeout: true } } });
      await sleep(until - Date.now());
      await store.sim("digiflazz", "/faults", { endpoints: { transaction: {} } });
      return;
    case "duplicate and reordered callbacks":
      await store.sim("digiflazz", "/faults", { callbacks: { duplicate_webhook: true, reorder_webhooks: true } });
      await store.sim("tripay", "/faults", { callbacks: { duplicate: true } });
      await store.sim("midtrans", "/faults", { callbacks: { duplicate: true } });
      await sleep(until - Date.now());
      await store.sim("digiflazz", "/faults", { callbacks: { duplicate_webhook: false, reorder_webhooks: false } });
      await store.sim("tripay", "/faults", { callbacks: { duplicate: false } });
      await store.sim("midtrans", "/faults", { callbacks: { duplicate: false } });
      return;
  }
}
