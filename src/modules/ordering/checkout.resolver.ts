import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import type { GraphQLContext } from "../../core/context";
import { unauthenticated } from "../../core/errors";
import type { CheckoutResult, CheckoutService } from "./checkout.service";
import { CheckoutInputType, CheckoutResultView } from "./checkout.types";
import { toOrderView } from "./ordering.resolver";
import { toPaymentView } from "../payments/payments.resolver";

@Resolver()
export class CheckoutResolver {
  constructor(private readonly checkouts: CheckoutService) {}

  @Mutation(() => CheckoutResultView, { description: "Buy: creates the order (or replays it for the same idempotency key) and says how to pay" })
  async checkout(@Arg("input", () => CheckoutInputType) input: CheckoutInputType, @Ctx() ctx: GraphQLContext): Promise<CheckoutResultView> {
    return toResultView(await this.checkouts.checkout(ctx.viewer, input));
  }

  @Mutation(() => CheckoutResultView, { description: "Members and resellers: a payable top-up order; the wallet is credited when it is PAID" })
  async topUpWallet(
    @Arg("amount", () => GraphQLSafeInt) amount: number,
    @Arg("paymentMethod") paymentMethod: string,
    @Arg("idempotencyKey") idempotencyKey: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CheckoutResultView> {
    if (ctx.viewer.kind !== "user") throw unauthenticated();
    return toResultView(await this.checkouts.topUpWallet(ctx.viewer.userId, { amount, paymentMethod, idempotencyKey }));
  }

  @Mutation(() => CheckoutResultView, { description: "Starts the payment of an unpaid order again (owner, or a guest with the tracking token)" })
  async payOrder(
    @Arg("methodCode") methodCode: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("orderId", () => ID, { nullable: true }) orderId?: string,
    @Arg("trackingToken", () => String, { nullable: true }) trackingToken?: string,
  ): Promise<CheckoutResultView> {
    return toResultView(await this.checkouts.payOrder(ctx.viewer, { orderId, trackingToken }, methodCode));
  }
}

function toResultView(result: CheckoutResult): CheckoutResultView {
  return { ...result, order: toOrderView(result.order, [], false), payment: result.payment ? toPaymentView(result.payment) : null };
}
