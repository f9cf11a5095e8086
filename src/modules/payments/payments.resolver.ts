import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import type { GraphQLContext } from "../../core/context";
import { unauthenticated } from "../../core/errors";
import { toOrderView } from "../ordering/ordering.resolver";
import type { OrderService } from "../ordering/ordering.service";
import type { ManualTransferService } from "./manual-transfer.service";
import { PaymentService } from "./payments.service";
import {
  ManualTransferQueue,
  PaymentMethodInputType,
  PaymentMethodOption,
  PaymentMethodView,
  PaymentProofFile,
  PaymentProofView,
  PaymentView,
  PaymentInstructions,
  RefundTaskView,
  UploadProofArgs,
} from "./payments.types";
import { RefundTaskStatus } from "./refund-task.entity";
import { PaymentStatus, type Payment } from "./payment.entity";
import { OrderView } from "../ordering/ordering.types";

const staffId = (ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user") throw unauthenticated();
  return ctx.viewer.userId;
};

@Resolver()
export class PaymentsResolver {
  constructor(
    private readonly payments: PaymentService,
    private readonly manual: ManualTransferService,
    private readonly orders: OrderService,
  ) {}

  @Query(() => [PaymentMethodOption], { description: "Active payment methods for an amount, with the fee each adds" })
  async paymentMethods(@Arg("amount", () => GraphQLSafeInt) amount: number, @Ctx() ctx: GraphQLContext): Promise<PaymentMethodOption[]> {
    const methods = await this.payments.methodsFor(amount, { wallet: ctx.viewer.kind === "user" });
    return methods.map((method) => {
      const fee = PaymentService.buyerFee(method, amount);
      return { ...method, fee, totalToPay: amount + fee };
    });
  }

  @Query(() => [PaymentMethodView], { description: "Every payment method (admin)" })
  allPaymentMethods(): Promise<PaymentMethodView[]> {
    return this.payments.allMethods();
  }

  @Mutation(() => PaymentMethodView)
  createPaymentMethod(@Arg("input") input: PaymentMethodInputType, @Ctx() ctx: GraphQLContext): Promise<PaymentMethodView> {
    return this.payments.saveMethod(null, input, staffId(ctx));
  }

  @Mutation(() => PaymentMethodView)
  updatePaymentMethod(
    @Arg("id", () => ID) id: string,
    @Arg("input") input: PaymentMethodInputType,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PaymentMethodView> {
    return this.payments.saveMethod(id, input, staffId(ctx));
  }

  @Mutation(() => PaymentView, { description: "Sandbox only: the gateway simulator pays the order's open payment" })
  async simulatePayment(@Arg("orderId", () => ID) orderId: string): Promise<PaymentView> {
    return toPaymentView(await this.payments.simulatePayment(orderId));
  }

  @Query(() => [PaymentView], { description: "An order's payment attempts and how to pay (owner, guest with the tracking token, or staff)" })
  async orderPayments(
    @Arg("orderId", () => ID) orderId: string,
    @Arg("trackingToken", () => String, { nullable: true }) trackingToken: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PaymentView[]> {
    const order = await this.orders.getForBuyer(orderId, ctx.viewer, trackingToken);
    return (await this.payments.paymentsOf(order.id)).map(toPaymentView);
  }

  @Mutation(() => PaymentProofView, { description: "Upload a manual-transfer proof; the order waits for verification" })
  uploadPaymentProof(@Args() args: UploadProofArgs, @Ctx() ctx: GraphQLContext): Promise<PaymentProofView> {
    return this.manual.uploadProof({ orderId: args.orderId, trackingToken: args.trackingToken, base64: args.fileBase64 }, ctx.viewer);
  }

  @Query(() => ManualTransferQueue, { description: "Orders waiting for a CS check, oldest first" })
  async manualTransferQueue(
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ): Promise<ManualTransferQueue> {
    const page = await this.manual.queue(first, after);
    const nodes = await Promise.all(
      page.nodes.map(async (order) => ({ order: toOrderView(order, [], true), proof: await this.manual.latestProof(order.id) })),
    );
    return { ...page, nodes };
  }

  @Query(() => PaymentProofFile, { description: "The proof file itself (CS)" })
  async paymentProofFile(@Arg("proofId", () => ID) proofId: string): Promise<PaymentProofFile> {
    const { proof, bytes } = await this.manual.proofFile(proofId);
    return { contentType: proof.contentType, base64: bytes.toString("base64") };
  }

  @Mutation(() => OrderView, { description: "CS: the transfer arrived; the order becomes PAID" })
  async confirmManualTransfer(@Arg("orderId", () => ID) orderId: string, @Ctx() ctx: GraphQLContext): Promise<OrderView> {
    const order = await this.manual.confirm(orderId, staffId(ctx));
    return toOrderView(await this.orders.get(order.id), await this.orders.history(order.id), true);
  }

  @Mutation(() => OrderView, { description: "CS: the proof is not valid; the buyer may pay again (or the order is cancelled when expired)" })
  async rejectManualTransfer(
    @Arg("orderId", () => ID) orderId: string,
    @Arg("reason") reason: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrderView> {
    const order = await this.manual.reject(orderId, reason, staffId(ctx));
    return toOrderView(await this.orders.get(order.id), await this.orders.history(order.id), true);
  }

  @Query(() => [RefundTaskView], { description: "Refund tasks (billing), oldest first" })
  refundTasks(@Arg("status", () => RefundTaskStatus, { nullable: true }) status: RefundTaskStatus | null): Promise<RefundTaskView[]> {
    return this.payments.refundTasks(status ? { status } : {});
  }

  @Mutation(() => RefundTaskView, { description: "Billing: the money went back; record the reference" })
  settleRefundTask(
    @Arg("id", () => ID) id: string,
    @Arg("reference") reference: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RefundTaskView> {
    return this.payments.settleRefundTask(id, reference, staffId(ctx));
  }
}

export function toPaymentView(payment: Payment): PaymentView {
  const stored = (payment.instructions ?? {}) as Record<string, string | null | undefined>;
  const instructions: PaymentInstructions = {
    payUrl: stored.payUrl ?? null,
    vaNumber: stored.vaNumber ?? null,
    qrString: stored.qrString ?? null,
    paymentCode: stored.paymentCode ?? null,
    text: stored.instructions ?? null,
  };
  return { ...payment, instructions: payment.status === PaymentStatus.PENDING ? instructions : null };
}
