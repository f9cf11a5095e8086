import { expect } from "chai";
import { ulid } from "ulid";
import type { RunningStore } from "../../src/boot";
import { ActivityLog } from "../../src/modules/audit/activity-log.entity";
import { FulfilmentKind } from "../../src/modules/catalog/catalog.enums";
import { SupplierPurchase } from "../../src/modules/fulfillment/supplier-purchase.entity";
import { SUPPLIER_QUEUE } from "../../src/modules/fulfillment/supplier-purchase.service";
import { Role } from "../../src/modules/identity/role";
import { Notification } from "../../src/modules/notifications/notification.entity";
import { SUPPLIER_BALANCE_QUEUE } from "../../src/modules/operations/supplier-balance";
import { Order } from "../../src/modules/ordering/order.entity";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { ADMIN as CATALOG_ADMIN } from "../catalog/fixtures";
import { CHECKOUT, GUEST_CONTACT, ML_INPUTS, fundWallet, sellable, walletMethod } from "../ordering/checkout-fixtures";
import { waitFor } from "../ordering/fixtures";
import { createMethod } from "../payments/fixtures";
import { errorCode, gql, type GraphQLResponse } from "../helpers/graphql";
import { grantRoles, registerAccount, registerAdmin, type TestAccount } from "../helpers/identity";
import { sharedStore } from "../helpers/store";

// Digiflazz simulator script (providers/digiflazz.md §5): Pending, then Sukses after `pending_delay_ms`
const PENDING = { userId: "0878000012", zoneId: "33" };
const ORDER_FIELDS = "id status needsReview reviewReason items { id sn fulfilmentStatus fulfilmentKind } history { to actor reason }";
const RESOLVE = `mutation ($input: ResolveOrderItemInput!) { resolveOrderItem(input: $input) { ${ORDER_FIELDS} } }`;
const RETRY_ITEM = `mutation ($id: ID!) { retryOrderItem(orderItemId: $id) { ${ORDER_FIELDS} } }`;
const BALANCE = "{ supplierBalance { balance lowThreshold low checkedAt } }";

interface SimTransaction {
  ref_id: string;
  status: string;
  requests: number;
}

describe("Staff operations over GraphQL: queues, failed jobs, items awaiting staff, supplier deposit", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let url: string;
  let admin: TestAccount;
  let cs: TestAccount;
  let verifier: TestAccount;
  let billing: TestAccount;
  let customer: TestAccount;
  let variantId: string;
  let productId: string;
  let tripay: string;

  const sim = async (path: string, body: unknown = {}, method = "POST") => {
    const response = await fetch(`${store.sandboxUrl}/digiflazz/__sim${path}`, { method, headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : JSON.stringify(body) });
    expect(response.status, `${path}: ${await response.clone().text()}`).to.equal(200);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const simTransactions = async (refId: string) =>
    ((await sim("/transactions", undefined, "GET")).transactions as SimTransaction[]).filter((tx) => tx.ref_id === refId);
  const ok = (response: GraphQLResponse) => {
    expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
    return response.data!;
  };
  const orderRow = (id: string) => store.infra.dataSource.getRepository(Order).findOneOrFail({ where: { id }, relations: { items: true } });
  const purchaseOf = async (orderId: string) => store.infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ orderItemId: (await orderRow(orderId)).items![0].id });
  const auditRows = (targetId: string) => store.infra.dataSource.getRepository(ActivityLog).find({ where: { targetId }, order: { id: "ASC" } });

  /** Checkout + payment; answers once the order is PROCESSING (its supplier purchase, if any, asked at least once). */
  const buyAndPay = async (input: { variant?: string; inputs?: Record<string, string>; method?: string; token?: string }) => {
    const response = ok(
      await gql(url, CHECKOUT, {
        input: { items: [{ variantId: input.variant ?? variantId, quantity: 1, inputs: input.inputs ?? PENDING }], ...(input.token ? {} : { contact: GUEST_CONTACT() }), paymentMethod: input.method ?? tripay, idempotencyKey: ulid() },
      }, input.token),
    );
    const order = response.checkout.order as { id: string; total: number };
    if (!response.checkout.alreadyPaid) ok(await gql(url, `mutation ($id: ID!) { simulatePayment(orderId: $id) { reference } }`, { id: order.id }));
    await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.PROCESSING, 20_000);
    return order;
  };
  /** A purchase the simulator answered Pending and keeps pending (pending_delay_ms is high in this suite). */
  const pendingPurchase = async (token?: string, method?: string) => {
    const order = await buyAndPay({ token, method });
    const purchase = await waitFor(async () => {
      const row = await purchaseOf(order.id);
      return row.status === "PENDING" && row.lockToken === null ? row : null;
    }, 20_000);
    // and its re-check is scheduled (the back-off delay)
    const queue = store.infra.queues.get(SUPPLIER_QUEUE);
    await waitFor(async () => (await (await queue.getJob(`drive:${purchase.id}:${purchase.attempts}`))?.getState()) === "delayed", 10_000);
    return { order, purchase };
  };

  before(async () => {
    store = await sharedStore();
    url = store.url!;
    admin = await registerAdmin(store);
    cs = await grantRoles(store, await registerAccount(url, "fulfiller"), [Role.CS_FULFILLER]);
    verifier = await grantRoles(store, await registerAccount(url, "verifier"), [Role.CS_VERIFIER]);
    billing = await grantRoles(store, await registerAccount(url, "billing"), [Role.BILLING]);
    customer = await registerAccount(url, "customer");
    const fixture = await sellable(store);
    variantId = fixture.variant.id;
    productId = fixture.product.id;
    tripay = await createMethod(store, { gateway: "TRIPAY", channel: "QRIS", displayName: "QRIS ops" });
    // pending purchases stay pending until staff act (or the test resolves them at the simulator)
    await sim("/config", { pending_delay_ms: 600_000 });
  });
  after(async () => {
    await sim("/config", { pending_delay_ms: 2000 });
    await sim("/faults", undefined, "DELETE");
    await sim("/deposit", { deposit: 10_000_000 });
  });

  describe("who may call what", () => {
    const id = "01J0000000000000000000000Z";
    const OPERATIONS: [string, Record<string, unknown>][] = [
      ["{ queueOverview { name } }", {}],
      [`{ failedJobs(queue: "supplier") { id } }`, {}],
      [`mutation { retryJob(queue: "supplier", jobId: "1") }`, {}],
      [`mutation ($id: ID!) { retryOrderItem(orderItemId: $id) { id } }`, { id }],
      [`mutation ($id: ID!) { resolveOrderItem(input: { orderItemId: $id, outcome: FAILED, reason: "x" }) { id } }`, { id }],
      ["{ itemsAwaitingStaff { orderItemId } }", {}],
      [BALANCE, {}],
    ];

    it("a customer gets FORBIDDEN on every operation, a guest UNAUTHENTICATED", async () => {
      for (const [query, variables] of OPERATIONS) {
        const asCustomer = await gql(url, query, variables, customer.accessToken);
        expect(errorCode(asCustomer), query).to.equal("FORBIDDEN");
        expect(asCustomer.data ?? null, query).to.equal(null);
        expect(errorCode(await gql(url, query, variables)), query).to.equal("UNAUTHENTICATED");
      }
    });

    it("each staff role reaches only its own operations", async () => {
      const code = async (account: TestAccount, index: number) => errorCode(await gql(url, OPERATIONS[index][0], OPERATIONS[index][1], account.accessToken));
      // CS layer 2: queues, items, retry/resolve; not failed jobs, not the deposit
      expect(await code(cs, 0)).to.equal(undefined);
      expect(await code(cs, 1)).to.equal("FORBIDDEN");
      expect(await code(cs, 2)).to.equal("FORBIDDEN");
      expect(await code(cs, 3)).to.equal("NOT_FOUND"); // allowed; no such item
      expect(await code(cs, 6)).to.equal("FORBIDDEN");
      // CS layer 1 sees the items waiting for staff, and may not settle them
      expect(await code(verifier, 5)).to.equal(undefined);
      expect(await code(verifier, 4)).to.equal("FORBIDDEN");
      expect(await code(verifier, 0)).to.equal("FORBIDDEN");
      // billing: the deposit only
      expect(await code(billing, 6)).to.equal(undefined);
      expect(await code(billing, 0)).to.equal("FORBIDDEN");
      expect(await code(billing, 5)).to.equal("FORBIDDEN");
    });
  });

  it("queueOverview lists every queue of the store with its counts, the supplier and refund queues among them", async () => {
    const queues = ok(await gql(url, "{ queueOverview { name waiting active delayed completed failed paused } }", {}, cs.accessToken)).queueOverview as Record<string, number | string>[];
    const names = queues.map((queue) => queue.name);
    expect(names).to.include.members(["supplier", "refunds", "fulfilment-reconcile", "supplier-balance", "payment-callbacks"]);
    for (const queue of queues) {
      for (const state of ["waiting", "active", "delayed", "completed", "failed", "paused"]) expect(queue[state], `${queue.name}.${state}`).to.be.a("number").and.at.least(0);
    }
    // the supplier queue holds at least its repeatable sweeper (a delayed job)
    const supplier = queues.find((queue) => queue.name === "supplier")!;
    expect(Number(supplier.delayed) + Number(supplier.waiting) + Number(supplier.active)).to.be.at.least(1);
  });

  describe("settling order items by hand", () => {
    it("CS resolves a purchase the supplier leaves pending with the SN: the order is SUCCESS with it, audited; resolving it again is CONFLICT and changes nothing", async () => {
      const { order, purchase } = await pendingPurchase();
      const resolved = ok(await gql(url, RESOLVE, { input: { orderItemId: purchase.orderItemId, outcome: "SUCCESS", sn: "SN-CS-0001", reason: "confirmed with Digiflazz CS" } }, cs.accessToken)).resolveOrderItem;
      expect(resolved.status).to.equal(OrderStatus.SUCCESS);
      expect(resolved.items[0]).to.include({ sn: "SN-CS-0001", fulfilmentStatus: "SUCCESS" });
      const row = await orderRow(order.id);
      expect(row.status).to.equal(OrderStatus.SUCCESS);
      expect(row.items![0].sn).to.equal("SN-CS-0001");
      const stored = await store.infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ id: purchase.id });
      expect(stored).to.include({ status: "SUCCESS", sn: "SN-CS-0001", refId: purchase.refId });
      const audit = await auditRows(purchase.id);
      expect(audit.map((entry) => [entry.action, entry.actorId])).to.deep.equal([["supplier_purchase.resolve", cs.id]]);
      expect(audit[0].after).to.include({ status: "SUCCESS", sn: "SN-CS-0001" });

      const history = await store.composition.services.orders.history(order.id);
      for (const outcome of ["FAILED", "SUCCESS"]) {
        const again = await gql(url, RESOLVE, { input: { orderItemId: purchase.orderItemId, outcome, sn: "SN-OTHER", reason: "again" } }, cs.accessToken);
        expect(errorCode(again)).to.equal("CONFLICT");
      }
      expect(await store.composition.services.orders.history(order.id)).to.have.length(history.length);
      expect((await orderRow(order.id)).items![0].sn).to.equal("SN-CS-0001");
      expect(await auditRows(purchase.id)).to.have.length(1);
      expect(await auditRows(purchase.orderItemId)).to.have.length(0);
      // bad input changes nothing either
      const noSn = await gql(url, RESOLVE, { input: { orderItemId: purchase.orderItemId, outcome: "SUCCESS", reason: "x" } }, cs.accessToken);
      expect(errorCode(noSn)).to.equal("BAD_USER_INPUT");
    });

    it("retryOrderItem on an open purchase asks the supplier again with the SAME ref_id: one transaction at the simulator, asked twice", async () => {
      const { order, purchase } = await pendingPurchase();
      const [before] = await simTransactions(purchase.refId);
      expect(before).to.include({ status: "Pending", requests: 1 });
      const retried = ok(await gql(url, RETRY_ITEM, { id: purchase.orderItemId }, cs.accessToken)).retryOrderItem;
      expect(retried).to.include({ id: order.id, status: OrderStatus.PROCESSING });
      // the re-check runs now, not after its back-off
      const [after] = await waitFor(async () => {
        const found = await simTransactions(purchase.refId);
        return found[0]?.requests >= 2 ? found : null;
      }, 15_000);
      expect(after.requests).to.equal(2);
      expect(await simTransactions(purchase.refId)).to.have.length(1);
      const stored = await store.infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ id: purchase.id });
      expect(stored.refId).to.equal(purchase.refId);
      expect((await auditRows(purchase.id)).map((entry) => [entry.action, entry.actorId])).to.deep.equal([["supplier_purchase.retry", cs.id]]);
      // the supplier finally answers: Sukses through the same ref_id
      await sim(`/transactions/${purchase.refId}/resolve`, { status: "Sukses" });
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.SUCCESS, 15_000);
      expect(await simTransactions(purchase.refId)).to.have.length(1);
      // a final purchase cannot be retried
      expect(errorCode(await gql(url, RETRY_ITEM, { id: purchase.orderItemId }, cs.accessToken))).to.equal("CONFLICT");
    });

    it("a purchase held for staff (NEEDS_STAFF) is listed, and resolved FAILED: the order is FAILED then REFUNDED, the member's wallet credited once", async () => {
      const member = await registerAccount(url, "opsrefund");
      await fundWallet(store, member.id, 100_000);
      const { order, purchase } = await pendingPurchase(member.accessToken, await walletMethod(store));
      // re-checks ran out: the engine hands the purchase to staff
      await store.infra.dataSource.getRepository(SupplierPurchase).update({ id: purchase.id }, { giveUpAt: new Date(Date.now() - 1000) });
      await store.composition.services.supplierPurchases!.drive(purchase.id);
      await waitFor(async () => (await orderRow(order.id)).needsReview);
      expect((await store.infra.dataSource.getRepository(SupplierPurchase).findOneByOrFail({ id: purchase.id })).status).to.equal("NEEDS_STAFF");

      const items = ok(await gql(url, "{ itemsAwaitingStaff(first: 500) { orderItemId orderId invoiceNumber productName kind since purchaseStatus refId needsReview } }", {}, verifier.accessToken)).itemsAwaitingStaff;
      const listed = items.find((item: { orderItemId: string }) => item.orderItemId === purchase.orderItemId);
      expect(listed).to.deep.include({ orderId: order.id, kind: "SUPPLIER", purchaseStatus: "NEEDS_STAFF", refId: purchase.refId, needsReview: true });
      expect(listed.invoiceNumber).to.be.a("string");
      expect(Date.parse(listed.since)).to.be.a("number").and.not.NaN;

      const resolved = ok(await gql(url, RESOLVE, { input: { orderItemId: purchase.orderItemId, outcome: "FAILED", reason: "supplier confirmed it failed" } }, admin.accessToken)).resolveOrderItem;
      expect(resolved.status).to.be.oneOf([OrderStatus.FAILED, OrderStatus.REFUNDED]);
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.REFUNDED, 20_000);
      const statuses = (await store.composition.services.orders.history(order.id)).map((row) => row.toStatus);
      expect(statuses.slice(-2)).to.deep.equal([OrderStatus.FAILED, OrderStatus.REFUNDED]);
      const ledger = await store.infra.dataSource.query("SELECT type, amount FROM balance_mutations WHERE user_id = ? ORDER BY seq", [member.id]);
      expect(ledger.map((row: { type: string; amount: string }) => [row.type, Number(row.amount)])).to.deep.equal([["TOPUP", 100_000], ["PURCHASE", -order.total], ["REFUND", order.total]]);
      expect(await store.composition.services.refunds!.refund(order.id)).to.equal("SKIPPED");
      // no longer waiting for staff
      const after = ok(await gql(url, "{ itemsAwaitingStaff(first: 500) { orderItemId } }", {}, cs.accessToken)).itemsAwaitingStaff;
      expect(after.map((item: { orderItemId: string }) => item.orderItemId)).not.to.include(purchase.orderItemId);
    });
  });

  describe("failed jobs", () => {
    it("a job made to fail shows in failedJobs with its reason and no stack; retryJob runs it again (audited)", async () => {
      const queue = store.infra.queues.get(SUPPLIER_BALANCE_QUEUE);
      await sim("/faults", { endpoints: { "cek-saldo": { http500: true } } });
      const job = await queue.add("check", {}, { attempts: 1, removeOnComplete: 20, removeOnFail: 50 });
      await waitFor(async () => (await job.isFailed()) || null, 15_000);

      const response = await gql(url, `query ($q: String!) { failedJobs(queue: $q, first: 50) { id queue name data failedReason attemptsMade failedAt } }`, { q: SUPPLIER_BALANCE_QUEUE }, admin.accessToken);
      const failed = ok(response).failedJobs.find((entry: { id: string }) => entry.id === String(job.id));
      expect(failed).to.deep.include({ queue: SUPPLIER_BALANCE_QUEUE, name: "check", data: {}, attemptsMade: 1 });
      expect(failed.failedReason).to.match(/cek-saldo.*HTTP 500/);
      expect(Date.parse(failed.failedAt)).to.be.closeTo(Date.now(), 30_000);
      const raw = JSON.stringify(response);
      expect(raw).not.to.match(/stack|\.ts:\d+|at async|node_modules/i);

      // the supplier answers again: the retried job completes
      await sim("/faults", undefined, "DELETE");
      expect(ok(await gql(url, `mutation ($q: String!, $id: ID!) { retryJob(queue: $q, jobId: $id) }`, { q: SUPPLIER_BALANCE_QUEUE, id: String(job.id) }, admin.accessToken)).retryJob).to.equal(true);
      await waitFor(async () => ((await (await queue.getJob(job.id))?.getState()) === "completed") || null, 15_000);
      const audit = await store.infra.dataSource.getRepository(ActivityLog).findBy({ action: "queue_job.retry", targetId: `${SUPPLIER_BALANCE_QUEUE}:${String(job.id)}` });
      expect(audit.map((entry) => entry.actorId)).to.deep.equal([admin.id]);
      expect(audit[0].before).to.include({ state: "failed" });

      // a job that is not failed, an unknown job, an unknown queue
      const again = await gql(url, `mutation ($q: String!, $id: ID!) { retryJob(queue: $q, jobId: $id) }`, { q: SUPPLIER_BALANCE_QUEUE, id: String(job.id) }, admin.accessToken);
      expect(errorCode(again)).to.equal("CONFLICT");
      expect(errorCode(await gql(url, `mutation { retryJob(queue: "supplier-balance", jobId: "no-such-job") }`, {}, admin.accessToken))).to.equal("NOT_FOUND");
      expect(errorCode(await gql(url, `{ failedJobs(queue: "no-such-queue") { id } }`, {}, admin.accessToken))).to.equal("NOT_FOUND");
      expect(errorCode(await gql(url, `{ failedJobs(queue: "supplier", first: 0) { id } }`, {}, admin.accessToken))).to.equal("BAD_USER_INPUT");
      expect(await store.infra.dataSource.getRepository(ActivityLog).countBy({ action: "queue_job.retry", targetId: `${SUPPLIER_BALANCE_QUEUE}:${String(job.id)}` })).to.equal(1);
    });
  });

  describe("the supplier deposit", () => {
    const systemAlerts = async (userId: string) =>
      (await store.infra.dataSource.getRepository(Notification).findBy({ userId, type: "SYSTEM" as Notification["type"] })).filter(
        (note) => (note.data as { kind?: string } | null)?.kind === "SUPPLIER_LOW_BALANCE",
      ).length;
    const check = () => store.composition.services.supplierBalance!.check();

    it("supplierBalance reads the simulator's deposit against SUPPLIER_LOW_BALANCE; a supplier that does not answer is SERVICE_UNAVAILABLE, no stack", async () => {
      await sim("/deposit", { deposit: 1_234_567 });
      const high = ok(await gql(url, BALANCE, {}, billing.accessToken)).supplierBalance;
      expect(high).to.include({ balance: 1_234_567, lowThreshold: 500_000, low: false });
      expect(Date.parse(high.checkedAt)).to.be.closeTo(Date.now(), 10_000);
      await sim("/deposit", { deposit: 400_000 });
      expect(ok(await gql(url, BALANCE, {}, admin.accessToken)).supplierBalance).to.include({ balance: 400_000, low: true });

      await sim("/faults", { endpoints: { "cek-saldo": { http503: true } } });
      try {
        const down = await gql(url, BALANCE, {}, billing.accessToken);
        expect(errorCode(down)).to.equal("SERVICE_UNAVAILABLE");
        expect(down.errors![0].message).to.match(/supplier did not answer/);
        expect(JSON.stringify(down)).not.to.match(/stack|127\.0\.0\.1|HTTP 503|cek-saldo/i);
      } finally {
        await sim("/faults", undefined, "DELETE");
      }
    });

    it("below the threshold the check alerts every ADMIN and BILLING user once however often it runs, and again only after the deposit went back above and fell again", async () => {
      await sim("/deposit", { deposit: 2_000_000 });
      expect(await check()).to.include({ low: false, alerted: false }); // re-armed, whatever an earlier run left
      const both = await grantRoles(store, await registerAccount(url, "adminbilling"), [Role.ADMIN, Role.BILLING]);

      await sim("/deposit", { deposit: 400_000 });
      const runs = [await check(), ...(await Promise.all(Array.from({ length: 5 }, () => check()))), await check()];
      expect(runs.filter((run) => run.alerted)).to.have.length(1);
      expect(runs.every((run) => run.low && run.balance === 400_000)).to.equal(true);
      // the scheduled job runs the same check
      const job = await store.infra.queues.get(SUPPLIER_BALANCE_QUEUE).add("check", {}, { removeOnComplete: 20, removeOnFail: 50 });
      expect(await job.finished()).to.include({ low: true, alerted: false });
      for (const account of [admin, billing, both]) expect(await systemAlerts(account.id), account.email).to.equal(1);
      for (const account of [cs, verifier, customer]) expect(await systemAlerts(account.id), account.email).to.equal(0);
      const notes = ok(await gql(url, "{ myNotifications(first: 20) { items { type title body data } } }", {}, billing.accessToken)).myNotifications.items;
      const alert = notes.find((note: { data: { kind?: string } | null }) => note.data?.kind === "SUPPLIER_LOW_BALANCE");
      expect(alert).to.deep.include({ type: "SYSTEM", title: "Supplier deposit is low", data: { kind: "SUPPLIER_LOW_BALANCE", balance: 400_000, lowThreshold: 500_000 } });
      expect(alert.body).to.include("Rp 400.000");

      await sim("/deposit", { deposit: 600_000 });
      expect(await check()).to.include({ low: false, alerted: false });
      for (const account of [admin, billing, both]) expect(await systemAlerts(account.id)).to.equal(1);

      await sim("/deposit", { deposit: 300_000 });
      expect((await Promise.all([check(), check(), check()])).filter((run) => run.alerted)).to.have.length(1);
      await check();
      for (const account of [admin, billing, both]) expect(await systemAlerts(account.id)).to.equal(2);
      for (const account of [cs, customer]) expect(await systemAlerts(account.id)).to.equal(0);
      await sim("/deposit", { deposit: 10_000_000 });
      await check();
    });

    it("schedules the deposit check as a repeatable job of the worker", async () => {
      const repeatable = await store.infra.queues.get(SUPPLIER_BALANCE_QUEUE).getRepeatableJobs();
      expect(repeatable.map((job) => [job.id, job.every])).to.deep.include(["supplier-balance-check", 600_000]);
    });
  });

  describe("reconciliation of orders stuck in PROCESSING", () => {
    const later = () => new Date(Date.now() + 31 * 60_000); // past FULFILMENT_STUCK_AFTER_MINUTES (30)

    it("an open purchase whose job was lost is re-enqueued and asked again (same ref_id)", async () => {
      const { order, purchase } = await pendingPurchase();
      const queue = store.infra.queues.get(SUPPLIER_QUEUE);
      // Redis lost the delayed re-check, and the last request is older than the minimum gap
      await (await queue.getJob(`drive:${purchase.id}:${purchase.attempts}`))!.remove();
      await store.infra.dataSource.getRepository(SupplierPurchase).update({ id: purchase.id }, { lastRequestAt: new Date(Date.now() - 2 * 60_000) });

      const result = await store.composition.services.fulfillment!.reconcile(later());
      expect(result.rechecked).to.be.at.least(1);
      const [tx] = await waitFor(async () => {
        const found = await simTransactions(purchase.refId);
        return found[0]?.requests >= 2 ? found : null;
      }, 15_000);
      expect(tx.status).to.equal("Pending");
      expect(await simTransactions(purchase.refId)).to.have.length(1);
      await sim(`/transactions/${purchase.refId}/resolve`, { status: "Sukses" });
      await waitFor(async () => (await orderRow(order.id)).status === OrderStatus.SUCCESS, 15_000);
    });

    it("an order waiting on a non-supplier item is listed for staff and flagged needsReview; CS delivers it by hand", async () => {
      const stock = await store.composition.services.catalog.saveVariant(CATALOG_ADMIN, null, {
        productId, name: "Code pack", sku: `STK${ulid().slice(-8)}`, kind: FulfilmentKind.STOCK, costPrice: 9_000, sort: 9,
      });
      const order = await buyAndPay({ variant: stock.id, inputs: ML_INPUTS });
      const itemId = (await orderRow(order.id)).items![0].id;
      const listed = ok(await gql(url, "{ itemsAwaitingStaff(first: 500) { orderItemId orderId kind purchaseStatus needsReview } }", {}, verifier.accessToken)).itemsAwaitingStaff;
      expect(listed.find((item: { orderItemId: string }) => item.orderItemId === itemId)).to.deep.equal({ orderItemId: itemId, orderId: order.id, kind: "STOCK", purchaseStatus: null, needsReview: false });

      expect((await orderRow(order.id)).needsReview).to.equal(false);
      const result = await store.composition.services.fulfillment!.reconcile(later());
      expect(result.flagged).to.be.at.least(1);
      const flagged = ok(await gql(url, `query ($id: ID!) { order(id: $id) { needsReview reviewReason status } }`, { id: order.id }, admin.accessToken)).order;
      expect(flagged).to.deep.include({ needsReview: true, status: OrderStatus.PROCESSING });
      expect(flagged.reviewReason).to.match(/waits for staff/);

      const delivered = ok(await gql(url, RESOLVE, { input: { orderItemId: itemId, outcome: "SUCCESS", sn: "CODE-ABCD-1234", reason: "code sent from the vault" } }, cs.accessToken)).resolveOrderItem;
      expect(delivered.status).to.equal(OrderStatus.SUCCESS);
      expect(delivered.items[0]).to.include({ sn: "CODE-ABCD-1234", fulfilmentKind: "STOCK" });
      expect(delivered.history.at(-1)).to.include({ to: OrderStatus.SUCCESS, actor: `staff:${cs.id}` });
      expect((await auditRows(itemId)).map((entry) => [entry.action, entry.actorId])).to.deep.equal([["order_item.resolve", cs.id]]);
      // retrying an item without a supplier purchase: nothing to retry
      expect(errorCode(await gql(url, RETRY_ITEM, { id: itemId }, cs.accessToken))).to.equal("NOT_FOUND");
    });
  });
});
