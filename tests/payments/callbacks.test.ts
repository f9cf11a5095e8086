import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { Role } from "../../src/modules/identity/role";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { Order } from "../../src/modules/ordering/order.entity";
import { CallbackOutcome, PaymentCallback } from "../../src/modules/payments/payment-callback.entity";
import { Payment } from "../../src/modules/payments/payment.entity";
import { PAYMENT_POLL_QUEUE } from "../../src/modules/payments/payments.processor";
import { PAYMENT_CALLBACKS_QUEUE, SUSPECT_CALLBACKS_QUEUE } from "../../src/modules/payments/payments.service";
import { RefundTask } from "../../src/modules/payments/refund-task.entity";
import { tripayCallbackSignature } from "../../src/modules/payments/gateways/tripay/tripay.signature";
import { TRIPAY_SANDBOX_CREDENTIALS } from "../../src/modules/payments/gateways/tripay/tripay.config";
import { errorCode, gql } from "../helpers/graphql";
import { countInserts } from "../helpers/statements";
import { startTestStore, stopStore } from "../helpers/store";
import { gqlAs, userViewer, withEnv } from "../helpers/viewer";
import { draft, waitFor } from "../ordering/fixtures";
import { createMethod, resetSim, sim, simPost } from "./fixtures";

describe("Tripay payments through the store", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let method: string;
  before(async () => {
    store = await withEnv({ PAYMENT_POLL_AFTER_SECONDS: "0", SUSPECT_CALLBACKS_PER_SECOND: "4" }, () => startTestStore());
    // these tests run the status poll and the sweep themselves: the repeatable poll job (on every full minute)
    // would race them, e.g. mark PAID an order the simulator was paid for but whose callback claimed another amount
    await store.infra.queues.get(PAYMENT_POLL_QUEUE).pause(true);
    method = await createMethod(store);
  });
  after(() => stopStore(store));
  beforeEach(() => resetSim(store));

  const services = () => store.composition.services;
  const db = () => store.infra.dataSource;

  async function pendingPayment(overrides: Parameters<typeof draft>[0] = {}) {
    const { order } = await services().orders.place(draft(overrides));
    const started = await services().payments.start(order.id, method);
    expect(started.qrString).to.be.a("string");
    return { order, payment: started.payment };
  }
  const callbacksOf = (gatewayReference: string) =>
    db().getRepository(PaymentCallback).find({ where: { gatewayReference }, order: { createdAt: "ASC", id: "ASC" } });
  const processedCallbacks = (gatewayReference: string, count: number) =>
    waitFor(async () => {
      const rows = await callbacksOf(gatewayReference);
      return rows.length === count && rows.every((row) => row.processedAt) ? rows : null;
    });
  const paidTransitions = async (orderId: string) => (await services().orders.history(orderId)).filter((row) => row.toStatus === OrderStatus.PAID);

  /** A payment_status callback signed as Tripay signs it (QRIS, closed payment; `fields` name the payment, amount and status). */
  function signedTripay(fields: Record<string, unknown>): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify({ payment_method: "QRIS", payment_method_code: "QRIS", fee_merchant: 0, fee_customer: 0, total_fee: 0, is_closed_payment: 1, paid_at: 1, note: null, ...fields });
    return { body, headers: { "x-callback-event": "payment_status", "x-callback-signature": tripayCallbackSignature(TRIPAY_SANDBOX_CREDENTIALS.privateKey, body) } };
  }
  const postTripay = ({ body, headers }: { body: string; headers: Record<string, string> }) =>
    fetch(`${store.url}/webhooks/tripay`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  /** What the webhook commits before it enqueues — as if the process died right after COMMIT. */
  async function storeLostCallback(payment: Payment, tripayStatus: "PAID" | "UNPAID", status: string): Promise<PaymentCallback> {
    const { body, headers } = signedTripay({ reference: payment.gatewayReference, merchant_ref: payment.reference, total_amount: 20_000, fee_merchant: 890, total_fee: 890, amount_received: 19_110, status: tripayStatus, paid_at: tripayStatus === "PAID" ? 1 : null });
    return db().getRepository(PaymentCallback).save(Object.assign(new PaymentCallback(), {
      gateway: "TRIPAY", subPath: "", ip: "127.0.0.1", verified: true, reason: null, headers,
      rawBody: body, reference: payment.reference, gatewayReference: payment.gatewayReference, eventKey: `${payment.gatewayReference}:${tripayStatus}`,
      status, amountPaid: 20_000, outcome: null, processedAt: null,
    }));
  }
  /** Older than the sweep's 30 s. */
  const ageOneMinute = (callbackId: string) => db().query("UPDATE payment_callbacks SET created_at = NOW(6) - INTERVAL 1 MINUTE WHERE id = ?", [callbackId]);

  it("a correctly signed callback sent three times marks the order PAID exactly once", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const [delivery] = (await (await fetch(`${sim(store)}/callbacks`)).json()) as { url: string; headers: Record<string, string>; body: string; attempts: { answer: string }[] }[];
    expect(delivery.url).to.equal(`${store.url}/webhooks/tripay`);
    expect(JSON.parse(delivery.attempts[0].answer)).to.deep.equal({ success: true });
    for (let i = 0; i < 2; i++) {
      const again = await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
      expect(again.status).to.equal(200);
      expect(await again.json()).to.deep.equal({ success: true });
    }
    const rows = await processedCallbacks(payment.gatewayReference!, 3);
    expect(rows.map((row) => row.outcome).sort()).to.deep.equal([CallbackOutcome.APPLIED, CallbackOutcome.DUPLICATE, CallbackOutcome.DUPLICATE]);
    expect(rows[0].rawBody).to.equal(delivery.body);
    expect(await store.infra.queues.get(PAYMENT_CALLBACKS_QUEUE).getJob(rows[0].id)).to.not.equal(null);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PAID);
    expect(await paidTransitions(order.id)).to.have.length(1);
    const paid = await db().getRepository(Payment).findOneByOrFail({ id: payment.id });
    expect(paid.status).to.equal("PAID");
    expect(paid.paidAt).to.be.instanceOf(Date);
  });

  it("a forged signature changes nothing, is stored as REJECTED_SIGNATURE and refused", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, "/faults", { callbacks: { bad_signature: true } });
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const [row] = await processedCallbacks(payment.gatewayReference!, 1);
    expect(row).to.include({ verified: false, outcome: CallbackOutcome.REJECTED_SIGNATURE });
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
    expect((await db().getRepository(Payment).findOneByOrFail({ id: payment.id })).status).to.equal("PENDING");
    const deliveries = (await (await fetch(`${sim(store)}/callbacks`)).json()) as { accepted: boolean }[];
    expect(deliveries.at(-1)!.accepted).to.equal(false);
  });

  it("a flood of forged signatures is refused and every one stored, several to a statement", async () => {
    const { order, payment } = await pendingPayment();
    const forged = (i: number) => {
      const { body } = signedTripay({ reference: payment.gatewayReference, merchant_ref: payment.reference, total_amount: 20_000, amount_received: 20_000, status: "PAID", note: `forgery ${i}` });
      return { body, headers: { "x-callback-event": "payment_status", "x-callback-signature": "0".repeat(64) } };
    };
    let answers: Response[] = [];
    const inserts = await countInserts(db(), "payment_callbacks", async () => (answers = await Promise.all(Array.from({ length: 40 }, (_, i) => postTripay(forged(i))))));
    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(40).fill(400));
    const rows = await db().getRepository(PaymentCallback).find({ where: { reference: payment.reference, verified: false } });
    expect(rows.map((row) => row.outcome)).to.deep.equal(Array(40).fill(CallbackOutcome.REJECTED_SIGNATURE));
    expect(new Set(rows.map((row) => JSON.parse(row.rawBody).note)).size).to.equal(40);
    expect(inserts).to.be.within(1, 39);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
  });

  it("a wrong amount changes nothing, is acknowledged, stored as AMOUNT_MISMATCH and flags the order", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, "/faults", { callbacks: { wrong_amount: true } });
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const [row] = await processedCallbacks(payment.gatewayReference!, 1);
    expect(row).to.include({ verified: true, outcome: CallbackOutcome.AMOUNT_MISMATCH, amountPaid: 19_999 });
    // processed apart from the callbacks that pay orders
    expect(await store.infra.queues.get(SUSPECT_CALLBACKS_QUEUE).getJob(row.id)).to.not.equal(null);
    expect(await store.infra.queues.get(PAYMENT_CALLBACKS_QUEUE).getJob(row.id)).to.equal(null);
    const after = await services().orders.get(order.id);
    expect(after).to.include({ status: OrderStatus.PENDING_PAYMENT, needsReview: true });
    expect(after.reviewReason).to.match(/amount mismatch/);
    expect((await db().getRepository(Payment).findOneByOrFail({ id: payment.id })).status).to.equal("PENDING");
  });

  it("a flood of signed wrong-amount callbacks is stored several to a statement, settled at SUSPECT_CALLBACKS_PER_SECOND, and a callback that pays an order passes it", async () => {
    const victim = await pendingPayment();
    const buyer = await pendingPayment();
    const wrongAmount = (i: number) =>
      postTripay(signedTripay({ reference: victim.payment.gatewayReference, merchant_ref: victim.payment.reference, total_amount: 1_000 + i, amount_received: 1_000 + i, status: "PAID" }));
    // the jobs each call to the suspect queue adds (one call per job, or several jobs to a call)
    const suspectQueue = store.infra.queues.get(SUSPECT_CALLBACKS_QUEUE);
    const { add, addBulk } = suspectQueue;
    const adds: number[] = [];
    suspectQueue.add = (...args: unknown[]) => (adds.push(1), (add as (...args: unknown[]) => ReturnType<typeof add>).apply(suspectQueue, args));
    suspectQueue.addBulk = (jobs) => (adds.push(jobs.length), addBulk.call(suspectQueue, jobs));
    let answers: Response[] = [];
    let suspects: PaymentCallback[];
    try {
      const inserts = await countInserts(db(), "payment_callbacks", async () => (answers = await Promise.all(Array.from({ length: 8 }, (_, i) => wrongAmount(i)))));
      expect(answers.map((answer) => answer.status)).to.deep.equal(Array(8).fill(200));
      expect(inserts).to.be.within(1, 3);
      await simPost(store, `/transactions/${buyer.payment.gatewayReference}/pay`);
      suspects = await processedCallbacks(victim.payment.gatewayReference!, 8);
    } finally {
      Object.assign(suspectQueue, { add, addBulk });
    }
    // queued several to a call too: all 8, in 1-3 calls
    expect(adds.reduce((sum, jobs) => sum + jobs, 0)).to.equal(8);
    expect(adds.length).to.be.within(1, 3);
    expect(suspects.map((row) => row.outcome)).to.deep.equal(Array(8).fill(CallbackOutcome.AMOUNT_MISMATCH));
    const [paying] = await processedCallbacks(buyer.payment.gatewayReference!, 1);
    expect(paying.outcome).to.equal(CallbackOutcome.APPLIED);
    const suspectJobs = await Promise.all(suspects.map((row) => store.infra.queues.get(SUSPECT_CALLBACKS_QUEUE).getJob(row.id)));
    const payingJob = (await store.infra.queues.get(PAYMENT_CALLBACKS_QUEUE).getJob(paying.id))!;
    const starts = suspectJobs.map((job) => job!.processedOn!);
    // one slot, each callback holding it at least 1/4 s: the 8th starts 7/4 s or more after the 1st
    expect(Math.max(...starts) - Math.min(...starts)).to.be.at.least(1_750 - 5);
    expect(payingJob.processedOn!).to.be.below(Math.max(...starts));
    expect((await services().orders.get(buyer.order.id)).status).to.equal(OrderStatus.PAID);
    expect((await services().orders.get(victim.order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
  });

  it("a signed callback for an unknown payment is kept, answered and settled at intake (no job)", async () => {
    const callback = signedTripay({ reference: "DEV-T99999999999999ZZZZZ", merchant_ref: "INV-19990101-ZZZZZ-1", total_amount: 5000, amount_received: 5000, status: "PAID" });
    const { body } = callback;
    const response = await postTripay(callback);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ success: true });
    const [row] = await callbacksOf("DEV-T99999999999999ZZZZZ");
    expect(row).to.include({ verified: true, outcome: CallbackOutcome.UNKNOWN_PAYMENT, rawBody: body });
    expect(row.processedAt).to.be.instanceOf(Date);
    for (const name of [PAYMENT_CALLBACKS_QUEUE, SUSPECT_CALLBACKS_QUEUE]) expect(await store.infra.queues.get(name).getJob(row.id)).to.equal(null);
  });

  it("finds the payment by our reference (compared as the column compares), else by the gateway's; our reference on another gateway transaction is unknown", async () => {
    const paid = (fields: Record<string, unknown>) => signedTripay({ total_amount: 20_000, amount_received: 20_000, status: "PAID", ...fields });
    const mismatched = await pendingPayment();
    await postTripay(paid({ merchant_ref: mismatched.payment.reference, reference: "DEV-T-SOMEONE-ELSES" }));
    const [other] = await callbacksOf("DEV-T-SOMEONE-ELSES");
    expect(other).to.include({ verified: true, outcome: CallbackOutcome.UNKNOWN_PAYMENT });

    const byCase = await pendingPayment();
    await postTripay(paid({ merchant_ref: `${byCase.payment.reference.toLowerCase()} ` })); // no gateway reference to fall back on
    const byGateway = await pendingPayment();
    await postTripay(paid({ merchant_ref: "INV-19990101-NOT-OURS-1", reference: byGateway.payment.gatewayReference }));
    for (const { order } of [byCase, byGateway]) {
      await waitFor(async () => (await services().orders.get(order.id)).status === OrderStatus.PAID);
      expect(await paidTransitions(order.id)).to.have.length(1);
    }
    expect((await services().orders.get(mismatched.order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
  });

  it("PAID arriving after the order expired opens a refund task for a guest; the order stays EXPIRED", async () => {
    const { order, payment } = await pendingPayment({ expiresAt: new Date(Date.now() + 1500) });
    await waitFor(async () => (await services().orders.get(order.id)).expiresAt <= new Date());
    await services().orders.expire(order.id);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.EXPIRED);
    // Tripay expired the charge at its expired_time too (one EXPIRED callback), then the money arrives anyway
    await waitFor(async () => (await callbacksOf(payment.gatewayReference!)).length === 1);
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const rows = await processedCallbacks(payment.gatewayReference!, 2);
    expect(rows.map((r) => [r.status, r.outcome])).to.deep.equal([["EXPIRED", CallbackOutcome.APPLIED], ["PAID", CallbackOutcome.LATE_AFTER_EXPIRY]]);
    const tasks = await db().getRepository(RefundTask).find({ where: { orderId: order.id } });
    expect(tasks).to.have.length(1);
    expect(tasks[0]).to.include({ reason: "LATE_PAYMENT", amount: 20_000, status: "OPEN", paymentId: payment.id });
    const after = await services().orders.get(order.id);
    expect(after).to.include({ status: OrderStatus.EXPIRED, needsReview: true });
    expect((await db().getRepository(Payment).findOneByOrFail({ id: payment.id })).status).to.equal("PAID");
    // the same late callback again: still one task
    const delivery = ((await (await fetch(`${sim(store)}/callbacks`)).json()) as { url: string; headers: Record<string, string>; body: string }[]).at(-1)!;
    await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect((await processedCallbacks(payment.gatewayReference!, 3)).at(-1)!.outcome).to.equal(CallbackOutcome.DUPLICATE);
    expect(await db().getRepository(RefundTask).count({ where: { orderId: order.id } })).to.equal(1);
  });

  it("billing settles the refund task with a reference (audited); a second settle is a CONFLICT; customers may not", async () => {
    const { order, payment } = await pendingPayment();
    await store.infra.dataSource.transaction((m) => services().orders.transition(m, order.id, OrderStatus.CANCELLED, { actor: "test", reason: "cancelled" }));
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    expect((await processedCallbacks(payment.gatewayReference!, 1))[0].outcome).to.equal(CallbackOutcome.LATE_AFTER_EXPIRY);
    const schema = store.composition.schema;
    const billing = userViewer([Role.BILLING]);
    const list = await gqlAs(schema, billing, `{ refundTasks(status: OPEN) { id orderId amount reason } }`);
    const task = list.data!.refundTasks.find((t: any) => t.orderId === order.id);
    expect(task).to.include({ amount: 20_000, reason: "LATE_PAYMENT" });
    const settle = `mutation($id: ID!, $ref: String!) { settleRefundTask(id: $id, reference: $ref) { status reference settledBy } }`;
    expect(errorCode(await gqlAs(schema, userViewer([Role.CUSTOMER]), settle, { id: task.id, ref: "BCA-TRF-001" }))).to.equal("FORBIDDEN");
    const settled = await gqlAs(schema, billing, settle, { id: task.id, ref: "BCA-TRF-001" });
    expect(settled.data!.settleRefundTask).to.deep.equal({ status: "SETTLED", reference: "BCA-TRF-001", settledBy: billing.kind === "user" ? billing.userId : null });
    expect(errorCode(await gqlAs(schema, billing, settle, { id: task.id, ref: "BCA-TRF-002" }))).to.equal("CONFLICT");
    const [audit] = await db().query("SELECT action FROM activity_log WHERE target_id = ?", [task.id]);
    expect(audit.action).to.equal("refund_task.settle");
  });

  it("a second payment attempt paid after the first one is kept as a DUPLICATE_PAYMENT refund task", async () => {
    const { order, payment } = await pendingPayment();
    const second = (await services().payments.start(order.id, method)).payment;
    expect(second.reference).to.equal(`${order.invoiceNumber}-2`);
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    await processedCallbacks(payment.gatewayReference!, 1);
    await simPost(store, `/transactions/${second.gatewayReference}/pay`);
    expect((await processedCallbacks(second.gatewayReference!, 1))[0].outcome).to.equal(CallbackOutcome.LATE_AFTER_EXPIRY);
    const tasks = await db().getRepository(RefundTask).find({ where: { orderId: order.id } });
    expect(tasks.map((t) => [t.reason, t.paymentId, t.amount])).to.deep.equal([["DUPLICATE_PAYMENT", second.id, 20_000]]);
    expect(await paidTransitions(order.id)).to.have.length(1);
  });

  it("Tripay's EXPIRED then PAID for a still-open order: the money counts and the order is PAID", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, "/faults", { callbacks: { late_paid_after_expired: true } });
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const rows = await processedCallbacks(payment.gatewayReference!, 2);
    // the two callbacks are processed by parallel jobs: an EXPIRED handled after the PAID is a regression and ignored
    const outcome = Object.fromEntries(rows.map((r) => [r.status, r.outcome]));
    expect(outcome.PAID).to.equal(CallbackOutcome.APPLIED);
    expect([CallbackOutcome.APPLIED, CallbackOutcome.IGNORED_REGRESSION]).to.include(outcome.EXPIRED);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PAID);
    expect(await paidTransitions(order.id)).to.have.length(1);
  });

  it("a stored callback whose queue job was lost is re-queued by the poll job's sweep", async () => {
    const { order, payment } = await pendingPayment();
    const lost = await storeLostCallback(payment, "PAID", "PAID");
    expect(await services().payments.requeueStoredCallbacks()).to.equal(0); // too fresh: its job may still be on the way
    await ageOneMinute(lost.id);
    expect(await services().payments.requeueStoredCallbacks()).to.equal(1);
    const [row] = await processedCallbacks(payment.gatewayReference!, 1);
    expect(row.outcome).to.equal(CallbackOutcome.APPLIED);
    const [paid] = await paidTransitions(order.id);
    expect(paid.payload).to.include({ source: `callback ${lost.id}` });
  });

  it("the sweep leaves stored callbacks alone for as long as the suspect backlog still needs, then re-queues a lost one", async () => {
    const { payment } = await pendingPayment();
    const lost = await storeLostCallback(payment, "UNPAID", "PENDING");
    await ageOneMinute(lost.id);
    // 400 suspects waiting at 4/s: 100 s of backlog, longer than the lost one has waited
    const suspects = store.infra.queues.get(SUSPECT_CALLBACKS_QUEUE);
    await suspects.pause(true);
    try {
      await suspects.addBulk(Array.from({ length: 400 }, (_, i) => ({ name: "callback", data: { callbackId: `backlog-${i}` }, opts: { jobId: `backlog-${i}` } })));
      expect(await services().payments.requeueStoredCallbacks()).to.equal(0);
      expect(await store.infra.queues.get(PAYMENT_CALLBACKS_QUEUE).getJob(lost.id)).to.equal(null);
    } finally {
      await suspects.empty();
      await suspects.resume(true);
    }
    expect(await services().payments.requeueStoredCallbacks()).to.equal(1);
    expect((await processedCallbacks(payment.gatewayReference!, 1))[0].outcome).to.equal(CallbackOutcome.APPLIED);
  });

  it("an EXPIRED callback after PAID is ignored (no regression)", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    await processedCallbacks(payment.gatewayReference!, 1);
    await simPost(store, `/transactions/${payment.gatewayReference}/expire`);
    const rows = await processedCallbacks(payment.gatewayReference!, 2);
    expect(rows.map((r) => r.outcome)).to.include(CallbackOutcome.IGNORED_REGRESSION);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PAID);
    expect((await db().getRepository(Payment).findOneByOrFail({ id: payment.id })).status).to.equal("PAID");
  });

  it("the poller marks a paid order PAID without any callback", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, "/faults", { callbacks: { drop: true } });
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    expect(await callbacksOf(payment.gatewayReference!)).to.have.length(0);
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
    await services().payments.pollPending();
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PAID);
    const [paid] = await paidTransitions(order.id);
    expect(paid.payload).to.include({ source: "status poll", amount: 20_000 });
    await services().payments.pollPending();
    expect(await paidTransitions(order.id)).to.have.length(1);
  });

  it("the buyer sees how to pay (guest by tracking token, member as owner); others get NOT_FOUND", async () => {
    const member = userViewer([Role.CUSTOMER]);
    const { order, trackingToken } = await services().orders.place(draft({ userId: member.kind === "user" ? member.userId : null }));
    await services().payments.start(order.id, method);
    const query = `query($id: ID!, $t: String) { orderPayments(orderId: $id, trackingToken: $t) { reference status amountToPay instructions { qrString vaNumber } } }`;
    const asGuest = await gql(store.url!, query, { id: order.id, t: trackingToken });
    expect(asGuest.errors).to.equal(undefined);
    expect(asGuest.data!.orderPayments).to.have.length(1);
    expect(asGuest.data!.orderPayments[0]).to.include({ reference: `${order.invoiceNumber}-1`, status: "PENDING", amountToPay: 20_000 });
    expect(asGuest.data!.orderPayments[0].instructions.qrString).to.be.a("string");
    expect((await gqlAs(store.composition.schema, member, query, { id: order.id })).data!.orderPayments).to.have.length(1);
    expect(errorCode(await gql(store.url!, query, { id: order.id }))).to.equal("NOT_FOUND");
    expect(errorCode(await gqlAs(store.composition.schema, userViewer([Role.CUSTOMER]), query, { id: order.id }))).to.equal("NOT_FOUND");
  });

  it("simulatePayment (sandbox) has the simulator pay; the callback does the rest", async () => {
    const { order } = await pendingPayment();
    const result = await gql(store.url!, `mutation($id: ID!) { simulatePayment(orderId: $id) { reference status } }`, { id: order.id });
    expect(result.errors).to.equal(undefined);
    await waitFor(async () => (await services().orders.get(order.id)).status === OrderStatus.PAID);
  });

  it("lists payment methods for an amount with the buyer's fee; admins manage them (audited), customers may not", async () => {
    const schema = store.composition.schema;
    const admin = userViewer([Role.ADMIN]);
    const input = { code: `QRIS_FEE_${Date.now()}`, gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS + fee", feeFlat: 750, feePercentBp: 70, feeBearer: "BUYER", minAmount: 1000, maxAmount: 5_000_000, active: true, sort: -1 };
    const create = `mutation($input: PaymentMethodInputType!) { createPaymentMethod(input: $input) { id code } }`;
    expect(errorCode(await gqlAs(schema, userViewer([Role.CUSTOMER]), create, { input }))).to.equal("FORBIDDEN");
    expect(errorCode(await gqlAs(schema, admin, create, { input: { ...input, feePercentBp: -1 } }))).to.equal("BAD_USER_INPUT");
    const created = await gqlAs(schema, admin, create, { input });
    expect(created.errors).to.equal(undefined);
    const [audit] = await db().query("SELECT action FROM activity_log WHERE target_id = ?", [created.data!.createPaymentMethod.id]);
    expect(audit.action).to.equal("payment_method.create");

    const list = await gql(store.url!, `{ paymentMethods(amount: 100000) { code fee totalToPay } }`);
    const mine = list.data!.paymentMethods.find((m: any) => m.code === input.code);
    expect(mine).to.deep.equal({ code: input.code, fee: 1450, totalToPay: 101_450 });
    const tooBig = await gql(store.url!, `{ paymentMethods(amount: 6000000) { code } }`);
    expect(tooBig.data!.paymentMethods.map((m: any) => m.code)).to.not.include(input.code);
  });

  it("callbacks are answered before they are processed (a stored row first, the queue after)", async () => {
    const { order, payment } = await pendingPayment();
    await simPost(store, `/transactions/${payment.gatewayReference}/pay`);
    const [delivery] = (await (await fetch(`${sim(store)}/callbacks`)).json()) as { attempts: { ms: number }[] }[];
    expect(delivery.attempts[0].ms).to.be.a("number");
    await waitFor(async () => (await db().getRepository(Order).findOneByOrFail({ id: order.id })).status === OrderStatus.PAID);
  });
});
