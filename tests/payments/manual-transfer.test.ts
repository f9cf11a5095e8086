import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { RunningStore } from "../../src/boot";
import { GUEST } from "../../src/core/context";
import { Role } from "../../src/modules/identity/role";
import { OrderStatus } from "../../src/modules/ordering/order-state";
import { Payment } from "../../src/modules/payments/payment.entity";
import { PaymentProof } from "../../src/modules/payments/payment-proof.entity";
import { errorCode } from "../helpers/graphql";
import { startTestStore, stopStore } from "../helpers/store";
import { gqlAs, userViewer, withEnv } from "../helpers/viewer";
import { countRows, draft } from "../ordering/fixtures";
import { createMethod } from "./fixtures";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const PDF = Buffer.from("%PDF-1.4\n% proof of transfer\n");

const UPLOAD = `mutation($orderId: ID!, $token: String, $file: String!) {
  uploadPaymentProof(orderId: $orderId, trackingToken: $token, fileBase64: $file) { id contentType sizeBytes status } }`;
const QUEUE = `query($after: String) { manualTransferQueue(first: 50, after: $after) { nodes { order { id status } proof { id contentType status } } endCursor hasNextPage } }`;
const CONFIRM = `mutation($id: ID!) { confirmManualTransfer(orderId: $id) { id status history { to actor } } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectManualTransfer(orderId: $id, reason: $reason) { id status } }`;

describe("Manual transfer", function () {
  this.timeout(60_000);
  let store: RunningStore;
  let method: string;
  const proofDir = mkdtempSync(path.join(tmpdir(), "lapak-proofs-"));
  const verifier = userViewer([Role.CS_VERIFIER]);
  const customer = userViewer([Role.CUSTOMER]);

  before(async () => {
    store = await withEnv({ PAYMENT_PROOF_DIR: proofDir, PAYMENT_PROOF_MAX_BYTES: "4096" }, () => startTestStore());
    method = await createMethod(store, { gateway: "MANUAL", channel: "BCA", displayName: "Transfer BCA", instructions: "BCA 123 a.n. Lapak" });
  });
  after(async () => {
    await stopStore(store);
    rmSync(proofDir, { recursive: true, force: true });
  });

  const services = () => store.composition.services;
  const schema = () => store.composition.schema;

  async function manualOrder(expiresAt?: Date) {
    const placed = await services().orders.place(draft({ expiresAt }));
    const started = await services().payments.start(placed.order.id, method);
    expect(started.instructions).to.equal("BCA 123 a.n. Lapak");
    return placed;
  }
  const upload = (orderId: string, token: string, file: Buffer) => gqlAs(schema(), GUEST, UPLOAD, { orderId, token, file: file.toString("base64") });

  it("a guest uploads a proof: stored on disk, order WAITING_VERIFICATION, in the CS queue", async () => {
    const { order, trackingToken } = await manualOrder();
    const result = await upload(order.id, trackingToken, PNG);
    expect(result.errors).to.equal(undefined);
    expect(result.data!.uploadPaymentProof).to.include({ contentType: "image/png", sizeBytes: PNG.length, status: "SUBMITTED" });
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.WAITING_VERIFICATION);
    const proof = await store.infra.dataSource.getRepository(PaymentProof).findOneByOrFail({ orderId: order.id });
    expect(readFileSync(path.join(proofDir, proof.storageKey)).equals(PNG)).to.equal(true);
    const queue = await gqlAs(schema(), verifier, QUEUE);
    const item = queue.data!.manualTransferQueue.nodes.find((n: any) => n.order.id === order.id);
    expect(item.proof).to.include({ id: proof.id, contentType: "image/png" });
    const file = await gqlAs(schema(), verifier, `query($id: ID!) { paymentProofFile(proofId: $id) { contentType base64 } }`, { id: proof.id });
    expect(Buffer.from(file.data!.paymentProofFile.base64, "base64").equals(PNG)).to.equal(true);
  });

  it("refuses files that are not images/PDF by their bytes, too large, or for someone else's order — and writes nothing", async () => {
    const { order, trackingToken } = await manualOrder();
    const filesBefore = readdirSync(proofDir, { recursive: true }).length;
    const proofsBefore = await countRows(store, "payment_proofs");
    expect(errorCode(await upload(order.id, trackingToken, Buffer.from("<html>not a proof</html>")))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await upload(order.id, trackingToken, Buffer.concat([PNG, Buffer.alloc(5000)])))).to.equal("BAD_USER_INPUT");
    expect(errorCode(await gqlAs(schema(), GUEST, UPLOAD, { orderId: order.id, token: trackingToken, file: "***" }))).to.equal("BAD_USER_INPUT");
    const other = await manualOrder();
    expect(errorCode(await upload(other.order.id, trackingToken, PNG))).to.equal("NOT_FOUND");
    expect(errorCode(await gqlAs(schema(), customer, UPLOAD, { orderId: order.id, file: PNG.toString("base64") }))).to.equal("NOT_FOUND");
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.PENDING_PAYMENT);
    expect(await countRows(store, "payment_proofs")).to.equal(proofsBefore);
    expect(readdirSync(proofDir, { recursive: true }).length).to.equal(filesBefore);
  });

  it("a CS verifier confirms: payment and order PAID, audited; a customer gets FORBIDDEN and a guest UNAUTHENTICATED", async () => {
    const { order, trackingToken } = await manualOrder();
    await upload(order.id, trackingToken, PDF);
    expect(errorCode(await gqlAs(schema(), customer, CONFIRM, { id: order.id }))).to.equal("FORBIDDEN");
    expect(errorCode(await gqlAs(schema(), GUEST, CONFIRM, { id: order.id }))).to.equal("UNAUTHENTICATED");
    expect(errorCode(await gqlAs(schema(), customer, QUEUE))).to.equal("FORBIDDEN");
    expect((await services().orders.get(order.id)).status).to.equal(OrderStatus.WAITING_VERIFICATION);

    const confirmed = await gqlAs(schema(), verifier, CONFIRM, { id: order.id });
    expect(confirmed.errors).to.equal(undefined);
    expect(confirmed.data!.confirmManualTransfer.status).to.equal("PAID");
    const verifierId = verifier.kind === "user" ? verifier.userId : "";
    expect(confirmed.data!.confirmManualTransfer.history.at(-1)).to.deep.equal({ to: "PAID", actor: `user:${verifierId}` });
    const payment = await store.infra.dataSource.getRepository(Payment).findOneByOrFail({ orderId: order.id });
    expect(payment.status).to.equal("PAID");
    const [audit] = await store.infra.dataSource.query("SELECT actor_id, action FROM activity_log WHERE target_id = ?", [order.id]);
    expect(audit).to.deep.equal({ actor_id: verifierId, action: "manual_transfer.confirm" });
    expect(errorCode(await gqlAs(schema(), verifier, CONFIRM, { id: order.id }))).to.equal("CONFLICT");
  });

  it("an admin rejects with a reason: back to PENDING_PAYMENT; past expiry the order is CANCELLED", async () => {
    const admin = userViewer([Role.ADMIN]);
    const { order, trackingToken } = await manualOrder();
    await upload(order.id, trackingToken, PNG);
    expect(errorCode(await gqlAs(schema(), admin, REJECT, { id: order.id, reason: "" }))).to.equal("BAD_USER_INPUT");
    const rejected = await gqlAs(schema(), admin, REJECT, { id: order.id, reason: "amount on the proof is wrong" });
    expect(rejected.data!.rejectManualTransfer.status).to.equal("PENDING_PAYMENT");
    expect((await store.infra.dataSource.getRepository(PaymentProof).findOneByOrFail({ orderId: order.id })).status).to.equal("REJECTED");
    // the buyer may try again
    expect((await upload(order.id, trackingToken, PDF)).errors).to.equal(undefined);

    const late = await manualOrder(new Date(Date.now() + 1500));
    await upload(late.order.id, late.trackingToken, PNG);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const cancelled = await gqlAs(schema(), verifier, REJECT, { id: late.order.id, reason: "no money arrived" });
    expect(cancelled.data!.rejectManualTransfer.status).to.equal("CANCELLED");
    const history = await services().orders.history(late.order.id);
    expect(history.map((h) => h.toStatus)).to.deep.equal(["PENDING_PAYMENT", "WAITING_VERIFICATION", "CANCELLED"]);
  });
});
