import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { Order } from "../../src/modules/ordering/order.entity";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { VoucherUsage, VoucherUsageStatus } from "../../src/modules/promotions/voucher-usage.entity";
import { Voucher } from "../../src/modules/promotions/voucher.entity";
import { errorCode, gql } from "../helpers/graphql";
import { registerAccount, registerAdmin, registerReseller, type TestAccount } from "../helpers/identity";
import { startTestStore, stopStore } from "../helpers/store";
import { createMethod } from "../payments/fixtures";
import { waitFor } from "./fixtures";
import {
  GUEST_CONTACT, ML_INPUTS, checkout, fundWallet, givePoints, makeVoucher, manualMethod, rowCounts, sellable, walletMethod,
} from "./checkout-fixtures";

const WRITTEN = ["orders", "order_items", "order_transitions", "voucher_usages", "point_mutations", "balance_mutations", "payments"];

describe("Checkout", function () {
  this.timeout(120_000);
  let store: RunningStore;
  let variant: { id: string };
  let wallet: string;
  let manual: string;
  let member: TestAccount;

  before(async () => {
    store = await startTestStore();
    ({ variant } = await sellable(store));
    wallet = await walletMethod(store);
    manual = await manualMethod(store);
    member = await registerAccount(store.url!, "buyer");
  });
  after(() => stopStore(store));

  const item = (quantity = 1) => ({ variantId: variant.id, quantity, inputs: ML_INPUTS });
  const orderRow = (id: string) => store.infra.dataSource.getRepository(Order).findOneByOrFail({ id });
  const balanceOf = async (userId: string) => {
    const [row] = await store.infra.dataSource.query("SELECT balance FROM wallets WHERE user_id = ?", [userId]);
    return Number(row?.balance ?? 0);
  };

  it("a guest pays by manual transfer: server prices, tracking token and instructions", async () => {
    const response = await checkout(store, { items: [item(2)], contact: GUEST_CONTACT(), paymentMethod: manual, idempotencyKey: ulid() });
    expect(response.errors).to.equal(undefined);
    const result = response.data!.checkout;
    expect(result.alreadyPaid).to.equal(false);
    expect(result.trackingToken).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(result.order.status).to.equal(OrderStatus.PENDING_PAYMENT);
    expect(result.order.items[0].unitPrice).to.be.at.least(19_800);
    expect(result.order.subtotal).to.equal(result.order.items[0].unitPrice * 2);
    expect(result.order.items[0].customerNo).to.equal("1234567890");
    expect(result.payment.amountToPay).to.equal(result.order.total);
    expect(result.payment.instructions.text).to.be.a("string");
  });

  it("a member pays from the wallet: PAID and handed to fulfilment in the same transaction, ledger row, balance down, then SUCCESS", async () => {
    const buyer = await registerAccount(store.url!, "walletbuyer");
    await fundWallet(store, buyer.id, 100_000);
    const response = await checkout(store, { items: [item()], paymentMethod: wallet, idempotencyKey: ulid() }, buyer.accessToken);
    expect(response.errors).to.equal(undefined);
    const result = response.data!.checkout;
    expect(result.alreadyPaid).to.equal(true);
    expect(result.payment).to.equal(null);
    const log = await store.composition.services.orders.history(result.order.id);
    expect(log.slice(0, 3).map((row) => row.toStatus)).to.deep.equal([OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING]);
    expect(await balanceOf(buyer.id)).to.equal(100_000 - result.order.total);
    await waitFor(async () => (await orderRow(result.order.id)).status === OrderStatus.SUCCESS);
  });

  it("a guest cannot pay with the wallet, and paymentMethods lists WALLET only to signed-in buyers", async () => {
    const response = await checkout(store, { items: [item()], contact: GUEST_CONTACT(), paymentMethod: wallet, idempotencyKey: ulid() });
    expect(errorCode(response)).to.equal("BAD_USER_INPUT");
    const query = `{ paymentMethods(amount: 50000) { code gateway } }`;
    const guest = await gql(store.url!, query);
    const signedIn = await gql(store.url!, query, {}, member.accessToken);
    expect(guest.data!.paymentMethods.map((m: { gateway: string }) => m.gateway)).not.to.include("WALLET");
    expect(signedIn.data!.paymentMethods.map((m: { code: string }) => m.code)).to.include(wallet);
  });

  it("the same idempotency key sent 20 times in parallel makes one order; another payload under it is CONFLICT", async () => {
    const key = ulid();
    const input = { items: [item()], paymentMethod: manual, idempotencyKey: key };
    const before = await rowCounts(store, ["orders"]);
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkout(store, input, member.accessToken)));
    for (const answer of answers) expect(answer.errors, JSON.stringify(answer.errors)).to.equal(undefined);
    const ids = new Set(answers.map((answer) => answer.data!.checkout.order.id));
    expect(ids.size).to.equal(1);
    expect((await rowCounts(store, ["orders"])).orders).to.equal(before.orders + 1);
    const references = new Set(answers.map((answer) => answer.data!.checkout.payment?.reference).filter(Boolean));
    expect(references.size).to.equal(1);
    const replay = await checkout(store, input, member.accessToken);
    expect(replay.data!.checkout.payment.reference).to.equal([...references][0]);
    const other = await checkout(store, { ...input, items: [item(3)] }, member.accessToken);
    expect(errorCode(other)).to.equal("CONFLICT");
  });

  describe("bad input gets BAD_USER_INPUT and writes nothing", () => {
    const cases: [string, () => Promise<Record<string, unknown>>][] = [
      ["unknown variant", async () => ({ items: [{ variantId: ulid(), quantity: 1, inputs: ML_INPUTS }] })],
      ["inactive variant", async () => {
        const { variant: off } = await sellable(store);
        await store.infra.dataSource.getRepository(Variant).update({ id: off.id }, { active: false });
        return { items: [{ variantId: off.id, quantity: 1, inputs: ML_INPUTS }] };
      }],
      ["inputs failing the schema", async () => ({ items: [{ variantId: variant.id, quantity: 1, inputs: { userId: "abc", zoneId: "1" } }] })],
      ["negative quantity", async () => ({ items: [item(-1)] })],
      ["huge quantity", async () => ({ items: [item(1_000_000)] })],
      ["expired voucher", async () => ({ items: [item()], voucherCode: (await makeVoucher(store, { validUntil: new Date(Date.now() - 60_000) })).code })],
      ["points above the cap", async () => {
        await givePoints(store, member.id, 100_000_000);
        return { items: [item()], pointsToRedeem: 50_000 };
      }],
      ["a missing idempotency key", async () => ({ items: [item()], idempotencyKey: " " })],
    ];
    for (const [name, build] of cases) {
      it(name, async () => {
        const input = { paymentMethod: manual, idempotencyKey: ulid(), ...(await build()) };
        const before = await rowCounts(store, WRITTEN);
        const response = await checkout(store, input, member.accessToken);
        expect(errorCode(response), JSON.stringify(response.errors)).to.equal("BAD_USER_INPUT");
        expect(await rowCounts(store, WRITTEN)).to.deep.equal(before);
      });
    }

    it("a price field sent by the client, in variables and inline", async () => {
      const before = await rowCounts(store, WRITTEN);
      const viaVariables = await checkout(store, { items: [{ ...item(), unitPrice: 1 }], paymentMethod: manual, idempotencyKey: ulid() }, member.accessToken);
      expect(errorCode(viaVariables)).to.equal("BAD_USER_INPUT");
      const inline = await gql(
        store.url!,
        `mutation { checkout(input: { items: [{ variantId: "${variant.id}", quantity: 1, price: 1 }], paymentMethod: "${manual}", idempotencyKey: "${ulid()}" }) { trackingToken } }`,
        {},
        member.accessToken,
      );
      expect(errorCode(inline)).to.equal("BAD_USER_INPUT");
      const total = await gql(store.url!, `mutation { checkout(input: { items: [], total: 1, paymentMethod: "${manual}", idempotencyKey: "x" }) { trackingToken } }`);
      expect(errorCode(total)).to.equal("BAD_USER_INPUT");
      expect(await rowCounts(store, WRITTEN)).to.deep.equal(before);
    });
  });

  it("200 parallel wallet checkouts by one member that exceed the balance: exactly the affordable number is PAID", async () => {
    const buyer = await registerAccount(store.url!, "hotwallet");
    const probe = await checkout(store, { items: [item()], paymentMethod: manual, idempotencyKey: ulid() }, buyer.accessToken);
    const price = probe.data!.checkout.order.subtotal as number;
    const affordable = 37;
    await fundWallet(store, buyer.id, price * affordable + price - 1);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => checkout(store, { items: [item()], paymentMethod: wallet, idempotencyKey: ulid() }, buyer.accessToken)),
    );
    const paid = answers.filter((answer) => answer.data?.checkout?.alreadyPaid === true);
    const refused = answers.filter((answer) => errorCode(answer) === "BAD_USER_INPUT");
    expect(paid.length).to.equal(affordable);
    expect(refused.length).to.equal(200 - affordable);
    const balance = await balanceOf(buyer.id);
    expect(balance).to.equal(price - 1);
    const [ledger] = await store.infra.dataSource.query("SELECT COALESCE(SUM(amount), 0) AS sum FROM balance_mutations WHERE user_id = ?", [buyer.id]);
    expect(Number(ledger.sum)).to.equal(balance);
    const [orders] = await store.infra.dataSource.query(
      "SELECT COUNT(*) AS n FROM orders o WHERE o.user_id = ? AND EXISTS (SELECT 1 FROM order_transitions t WHERE t.order_id = o.id AND t.to_status = 'PAID')",
      [buyer.id],
    );
    expect(Number(orders.n)).to.equal(affordable);
  });

  it("100 parallel checkouts with a voucher limited to 10 reserve exactly 10 uses", async () => {
    const voucher = await makeVoucher(store, { totalLimit: 10 });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        checkout(store, { items: [item()], contact: GUEST_CONTACT(), paymentMethod: manual, voucherCode: voucher.code, idempotencyKey: ulid() }),
      ),
    );
    expect(answers.filter((answer) => answer.data?.checkout).length).to.equal(10);
    expect(answers.filter((answer) => errorCode(answer) === "BAD_USER_INPUT").length).to.equal(90);
    const uses = await store.infra.dataSource.getRepository(VoucherUsage).countBy({ voucherId: voucher.id, status: VoucherUsageStatus.RESERVED });
    expect(uses).to.equal(10);
    expect((await store.infra.dataSource.getRepository(Voucher).findOneByOrFail({ id: voucher.id })).usedCount).to.equal(10);
  });

  it("expiry gives the voucher use and the redeemed points back", async () => {
    const buyer = await registerAccount(store.url!, "expiring");
    await givePoints(store, buyer.id, 5_000_000);
    const [before] = await store.infra.dataSource.query("SELECT balance FROM point_accounts WHERE user_id = ?", [buyer.id]);
    const voucher = await makeVoucher(store, { totalLimit: 1 });
    const response = await checkout(store, { items: [item()], paymentMethod: manual, voucherCode: voucher.code, pointsToRedeem: 100, idempotencyKey: ulid() }, buyer.accessToken);
    expect(response.errors).to.equal(undefined);
    const order = response.data!.checkout.order;
    expect(order.voucherDiscount).to.equal(1_000);
    expect(order.pointsUsed).to.equal(100);
    expect(order.total).to.equal(order.subtotal - 1_000 - order.pointsValue);
    await store.infra.dataSource.getRepository(Order).update({ id: order.id }, { expiresAt: new Date(Date.now() - 1_000) });
    expect(await store.composition.services.orders.expire(order.id)).to.equal(true);
    expect((await orderRow(order.id)).status).to.equal(OrderStatus.EXPIRED);
    expect((await store.infra.dataSource.getRepository(VoucherUsage).findOneByOrFail({ orderId: order.id })).status).to.equal(VoucherUsageStatus.RELEASED);
    expect((await store.infra.dataSource.getRepository(Voucher).findOneByOrFail({ id: voucher.id })).usedCount).to.equal(0);
    const [after] = await store.infra.dataSource.query("SELECT balance FROM point_accounts WHERE user_id = ?", [buyer.id]);
    expect(Number(after.balance)).to.equal(Number(before.balance));
  });

  it("a reseller API token needs the ORDERS_WRITE scope to check out", async () => {
    const reseller = await registerReseller(store, await registerAdmin(store));
    const tokenWith = async (scope: string) => {
      const created = await gql(store.url!, `mutation { createApiToken(name: "t${ulid().slice(-6)}", scopes: [${scope}]) { token } }`, {}, reseller.accessToken);
      expect(created.errors, JSON.stringify(created.errors)).to.equal(undefined);
      return created.data!.createApiToken.token as string;
    };
    const readOnly = await checkout(store, { items: [item()], paymentMethod: manual, idempotencyKey: ulid() }, await tokenWith("ORDERS_READ"));
    expect(errorCode(readOnly)).to.equal("FORBIDDEN");
    const writer = await checkout(store, { items: [item()], paymentMethod: manual, idempotencyKey: ulid() }, await tokenWith("ORDERS_WRITE"));
    expect(writer.errors, JSON.stringify(writer.errors)).to.equal(undefined);
    expect(writer.data!.checkout.order.status).to.equal(OrderStatus.PENDING_PAYMENT);
  });

  it("a member tops up the wallet through a gateway: credited once when PAID, however often the callback comes", async () => {
    const buyer = await registerAccount(store.url!, "topup");
    const method = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS top-up", maxAmount: 100_000_000 });
    const key = ulid();
    const mutation = `mutation ($a: SafeInt!, $m: String!, $k: String!) { topUpWallet(amount: $a, paymentMethod: $m, idempotencyKey: $k) { order { id status total kind } payment { reference } } }`;
    const guest = await gql(store.url!, mutation, { a: 50_000, m: method, k: key });
    expect(errorCode(guest)).to.equal("UNAUTHENTICATED");
    const response = await gql(store.url!, mutation, { a: 50_000, m: method, k: key }, buyer.accessToken);
    expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
    const order = response.data!.topUpWallet.order;
    expect(order.kind).to.equal("TOPUP");
    const replay = await gql(store.url!, mutation, { a: 50_000, m: method, k: key }, buyer.accessToken);
    expect(replay.data!.topUpWallet.order.id).to.equal(order.id);
    await gql(store.url!, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.id });
    // nothing to deliver for a top-up: PAID → PROCESSING → SUCCESS in the payment's transaction
    await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.SUCCESS);
    const reference = response.data!.topUpWallet.payment.reference as string;
    const deliveries = (await (await fetch(`${store.sandboxUrl}/tripay/__sim/callbacks`)).json()) as { url: string; headers: Record<string, string>; body: string }[];
    const delivery = deliveries.filter((d) => d.body.includes(reference)).at(-1)!;
    for (let i = 0; i < 2; i++) await fetch(delivery.url, { method: "POST", headers: delivery.headers, body: delivery.body });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await balanceOf(buyer.id)).to.equal(50_000);
    const rows = await store.infra.dataSource.query("SELECT type, amount FROM balance_mutations WHERE user_id = ?", [buyer.id]);
    expect(rows.map((row: { type: string; amount: string }) => [row.type, Number(row.amount)])).to.deep.equal([["TOPUP", 50_000]]);
    const notes = await store.infra.dataSource.query("SELECT type FROM notifications WHERE user_id = ?", [buyer.id]);
    expect(notes.map((row: { type: string }) => row.type)).to.deep.equal(["TOPUP"]);
  });
});
