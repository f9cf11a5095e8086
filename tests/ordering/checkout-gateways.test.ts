import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { Order } from "../../src/modules/ordering/order.entity";
import { CallbackOutcome, PaymentCallback } from "../../src/modules/payments/payment-callback.entity";
import { Payment, PaymentStatus } from "../../src/modules/payments/payment.entity";
import { SUSPECT_CALLBACKS_QUEUE } from "../../src/modules/payments/payments.service";
import { gql } from "../helpers/graphql";
import { startTestStore, stopStore } from "../helpers/store";
import { registerAccount, registerAdmin, registerReseller } from "../helpers/identity";
import { WalletService } from "../../src/modules/wallet/wallet.service";
import { waitFor } from "./fixtures";
import { createMethod } from "../payments/fixtures";
import { GUEST_CONTACT, ML_INPUTS, checkout, sellable } from "./checkout-fixtures";

interface Delivery { url: string; headers: Record<string, string>; body: string; attempts: unknown[] }

// One guest checkout through every gateway of the seed, paid by its simulator.
const GATEWAYS = [
  { gateway: "TRIPAY", channel: "QRIS", sim: "tripay", says: "qrString" },
  { gateway: "MIDTRANS", channel: "bank_transfer:bca", sim: "midtrans", says: "vaNumber" },
  { gateway: "DUITKU", channel: "SP", sim: "duitku", says: "qrString" },
  { gateway: "TOKOPAY", channel: "QRIS", sim: "tokopay", says: "qrString" },
  { gateway: "XENDIT", channel: "INVOICE", sim: "xendit", says: "payUrl" },
] as const;

describe("Checkout through each payment gateway (guest, sandbox simulators)", function () {
  this.timeout(120_000);
  let store: RunningStore;
  let variantId: string;

  before(async () => {
    store = await startTestStore();
    variantId = (await sellable(store)).variant.id;
  });
  after(() => stopStore(store));

  const simUrl = (sim: string, path: string) => `${store.sandboxUrl}/${sim}/__sim${path}`;
  const simPost = (sim: string, path: string, body: unknown = {}) =>
    fetch(simUrl(sim, path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const paymentOf = (orderId: string) => store.infra.dataSource.getRepository(Payment).findOneByOrFail({ orderId });
  const callbacksFor = (payment: Payment) =>
    store.infra.dataSource.getRepository(PaymentCallback).find({ where: [{ reference: payment.reference }, ...(payment.gatewayReference ? [{ gatewayReference: payment.gatewayReference }] : [])] });
  const processed = (payment: Payment, count: number) =>
    waitFor(async () => {
      const rows = await callbacksFor(payment);
      return rows.length >= count && rows.every((row) => row.processedAt || !row.verified) ? rows : null;
    });
  const status = async (orderId: string) => (await store.infra.dataSource.getRepository(Order).findOneByOrFail({ id: orderId })).status;
  const paidTransitions = async (orderId: string) =>
    (await store.composition.services.orders.history(orderId)).filter((row) => row.toStatus === OrderStatus.PAID).length;

  it("a gateway that fails leaves the order PENDING_PAYMENT; the same key (or payOrder) starts the payment again", async () => {
    const method = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS retry" });
    await simPost("tripay", "/faults", { endpoints: { "transaction-create": { http500: true } } });
    const input = { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], contact: GUEST_CONTACT(), paymentMethod: method, idempotencyKey: ulid() };
    const failed = await checkout(store, input);
    await fetch(simUrl("tripay", "/faults"), { method: "DELETE" });
    expect(failed.errors).to.equal(undefined);
    const first = failed.data!.checkout;
    expect(first.payment).to.equal(null);
    expect(first.paymentError).to.be.a("string");
    expect(await status(first.order.id)).to.equal(OrderStatus.PENDING_PAYMENT);
    const retried = (await checkout(store, input)).data!.checkout;
    expect(retried.order.id).to.equal(first.order.id);
    expect(retried.trackingToken).to.equal(first.trackingToken);
    expect(retried.payment.instructions.qrString).to.be.a("string");
    const again = await gql(store.url!, `mutation ($t: String!, $m: String!) { payOrder(trackingToken: $t, methodCode: $m) { payment { reference instructions { qrString } } } }`, { t: first.trackingToken, m: method });
    expect(again.errors, JSON.stringify(again.errors)).to.equal(undefined);
    expect(again.data!.payOrder.payment.reference).not.to.equal(retried.payment.reference);
  });

  it("a payment start cut off by a crash (PENDING, no instructions) is closed; the same key starts one the buyer can pay", async () => {
    const method = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS crash" });
    await simPost("tripay", "/faults", { endpoints: { "transaction-create": { http500: true } } });
    const input = { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], contact: GUEST_CONTACT(), paymentMethod: method, idempotencyKey: ulid() };
    const { order } = (await checkout(store, input)).data!.checkout;
    await fetch(simUrl("tripay", "/faults"), { method: "DELETE" });
    // what an API killed between writing the attempt and storing the gateway's answer leaves behind
    const payments = store.infra.dataSource.getRepository(Payment);
    const cutOff = await paymentOf(order.id);
    await payments.update({ id: cutOff.id }, { status: PaymentStatus.PENDING });
    expect(cutOff.instructions).to.equal(null);

    const retried = (await checkout(store, input)).data!.checkout;
    expect(retried.order.id).to.equal(order.id);
    expect(retried.payment.instructions.qrString).to.be.a("string");
    const rows = await payments.find({ where: { orderId: order.id }, order: { createdAt: "ASC" } });
    expect(rows.map((row) => [row.id === cutOff.id, row.status])).to.deep.equal([[true, PaymentStatus.FAILED], [false, PaymentStatus.PENDING]]);
    expect(rows[1].reference).to.equal(retried.payment.reference);
    const paid = await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.id });
    expect(paid.errors, JSON.stringify(paid.errors)).to.equal(undefined);
    expect(paid.data!.simulatePayment.reference).to.equal(retried.payment.reference);
  });

  it("a member's payment arriving after expiry goes to the wallet as a REFUND, once", async () => {
    const buyer = await registerAccount(store.url!, "late");
    const method = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS late" });
    const response = await checkout(store, { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], paymentMethod: method, idempotencyKey: ulid() }, buyer.accessToken);
    const { order, payment } = response.data!.checkout;
    await store.infra.dataSource.getRepository(Order).update({ id: order.id }, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await store.composition.services.orders.expire(order.id)).to.equal(true);
    await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.id });
    const rows = await waitFor(async () => {
      const found = await store.infra.dataSource.query("SELECT type, amount, reference_id FROM balance_mutations WHERE user_id = ?", [buyer.id]);
      return found.length > 0 ? found : null;
    });
    const deliveries = (await (await fetch(simUrl("tripay", "/callbacks"))).json()) as Delivery[];
    const delivery = deliveries.filter((d) => d.body.includes(payment.reference)).at(-1)!;
    await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await store.infra.dataSource.query("SELECT type, amount, reference_id FROM balance_mutations WHERE user_id = ?", [buyer.id]);
    expect(after).to.have.length(1);
    expect(rows[0].type).to.equal("REFUND");
    expect(Number(rows[0].amount)).to.equal(payment.amountToPay);
    expect(rows[0].reference_id).to.equal(payment.reference);
    expect(await status(order.id)).to.equal(OrderStatus.EXPIRED);
  });

  it("a reseller in cashback mode pays retail through a gateway and gets the margin as CASHBACK once the order succeeds", async () => {
    const admin = await registerAdmin(store);
    const reseller = await registerReseller(store, admin);
    await new WalletService(store.infra.dataSource, store.composition.services.audit).setCashbackMode({ actorId: admin.id }, reseller.id, true);
    const { variant } = await sellable(store);
    const levels: { code: string }[] = await store.infra.dataSource.query("SELECT code FROM member_levels");
    for (const { code } of levels) {
      await store.composition.services.pricing.setPinnedPrice({ userId: admin.id }, variant.id, code, code === "RETAIL" ? 50_000 : 42_000);
    }
    const method = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS cashback" });
    const response = await checkout(store, { items: [{ variantId: variant.id, quantity: 1, inputs: ML_INPUTS }], paymentMethod: method, idempotencyKey: ulid() }, reseller.accessToken);
    expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
    const { order } = response.data!.checkout;
    expect(order.subtotal).to.equal(50_000);
    await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.id });
    const rows = await waitFor(async () => {
      const found = await store.infra.dataSource.query("SELECT type, amount, reference_id FROM balance_mutations WHERE user_id = ?", [reseller.id]);
      return found.length > 0 ? found : null;
    });
    expect(rows.map((row: { type: string; amount: string }) => [row.type, Number(row.amount)])).to.deep.equal([["CASHBACK", 8_000]]);
    expect(await status(order.id)).to.equal(OrderStatus.SUCCESS);
  });

  for (const spec of GATEWAYS) {
    describe(spec.gateway, () => {
      let method: string;
      let paidDelivery: { delivery: Delivery; payment: Payment } | undefined;
      before(async () => {
        method = await createMethod(store, { gateway: spec.gateway, channel: spec.channel, displayName: `${spec.gateway} test`, minAmount: 1_000, maxAmount: 10_000_000 });
        await simPost(spec.sim, "/reset");
      });

      const buy = async () => {
        const response = await checkout(store, { items: [{ variantId, quantity: 1, inputs: ML_INPUTS }], contact: GUEST_CONTACT(), paymentMethod: method, idempotencyKey: ulid() });
        expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
        return response.data!.checkout;
      };
      const simulate = async (orderId: string) => {
        const paid = await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: orderId });
        expect(paid.errors, JSON.stringify(paid.errors)).to.equal(undefined);
      };

      it("charge created; the signed callback sent three times marks the order PAID exactly once", async function () {
        const result = await buy();
        expect(result.payment.instructions[spec.says], JSON.stringify(result.payment)).to.be.a("string").and.not.equal("");
        // Tokopay adds its own fee on top of what the store asked
        expect(result.payment.amountToPay).to.be.at.least(result.order.total);
        const payment = await paymentOf(result.order.id);
        await simulate(result.order.id);
        // the last notification for this payment is the one that says it is paid
        const lastDelivery = async () => {
          const all = (await (await fetch(simUrl(spec.sim, "/callbacks"))).json()) as Delivery[];
          return all.filter((d) => d.body.includes(payment.reference) || (payment.gatewayReference !== null && d.body.includes(payment.gatewayReference))).at(-1);
        };
        await waitFor(async () => (await callbacksFor(payment)).some((row) => row.status === "PAID" && row.processedAt), 20_000).catch(async (error) => {
          throw new Error(`${(error as Error).message}: ${JSON.stringify((await callbacksFor(payment)).map((r) => [r.status, r.outcome, r.verified, r.reason]))} ${JSON.stringify(await (await fetch(simUrl(spec.sim, "/callbacks"))).json()).slice(0, 1500)}`);
        });
        const delivery = (await lastDelivery())!;
        paidDelivery = { delivery, payment };
        // the store confirms through the gateway's status API, asynchronously: wait for it
        await waitFor(async () => (await paidTransitions(result.order.id)) === 1, 20_000);
        for (let i = 0; i < 2; i++) {
          const again = await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
          expect(again.status).to.equal(200);
        }
        const rows = await processed(payment, 3);
        // (Midtrans also notifies "pending" at charge time: only the PAID notifications count here)
        const paidRows = rows.filter((row) => row.status === "PAID");
        expect(paidRows.length).to.be.at.least(3);
        expect(paidRows.every((row) => row.verified && row.processedAt)).to.equal(true);
        expect(paidRows.map((row) => row.outcome)).not.to.include.members([CallbackOutcome.AMOUNT_MISMATCH, CallbackOutcome.REJECTED_SIGNATURE]);
        // the gateway's real amount matches the payment's, so none waited in the suspect queue
        for (const row of paidRows) expect(await store.infra.queues.get(SUSPECT_CALLBACKS_QUEUE).getJob(row.id), row.id).to.equal(null);
        expect((await paymentOf(result.order.id)).status).to.equal(PaymentStatus.PAID);
        expect(await paidTransitions(result.order.id)).to.equal(1);
        // paid once, so bought once: the supplier simulator delivers and the order ends SUCCESS
        await waitFor(async () => (await status(result.order.id)) === OrderStatus.SUCCESS, 20_000);
      });

      // The paid order's real callback, re-aimed at an order nobody paid: its signature no longer
      // matches (or, where the amount is not signed, the gateway's status API says unpaid).
      for (const forgery of ["a forged signature", "a wrong amount"] as const) {
        it(`${forgery} changes nothing`, async () => {
          const template = paidDelivery!;
          const result = await buy();
          const payment = await paymentOf(result.order.id);
          let body = template.delivery.body.replaceAll(template.payment.reference, payment.reference);
          if (template.payment.gatewayReference && payment.gatewayReference) body = body.replaceAll(template.payment.gatewayReference, payment.gatewayReference);
          if (forgery === "a wrong amount") body = body.replaceAll(String(template.payment.amountToPay), String(payment.amountToPay - 1_000));
          const headers = { ...template.delivery.headers };
          delete headers["content-length"];
          const before = await store.infra.dataSource.getRepository(PaymentCallback).countBy({ gateway: spec.gateway });
          const answer = await fetch(template.delivery.url, { method: "POST", headers, body });
          expect(answer.status).to.be.below(500);
          await waitFor(async () => {
            const rows = await store.infra.dataSource.getRepository(PaymentCallback).find({ where: { gateway: spec.gateway }, order: { id: "DESC" }, take: 1 });
            const total = await store.infra.dataSource.getRepository(PaymentCallback).countBy({ gateway: spec.gateway });
            return total > before && (rows[0].processedAt || !rows[0].verified) ? rows : null;
          });
          expect(await status(result.order.id)).to.equal(OrderStatus.PENDING_PAYMENT);
          expect(await paidTransitions(result.order.id)).to.equal(0);
          expect((await paymentOf(result.order.id)).status).to.equal(PaymentStatus.PENDING);
        });
      }
    });
  }
});
