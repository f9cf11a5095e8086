import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { PaymentView } from "../payments/payments.types";
import { OrderView } from "./ordering.types";

// No price field anywhere in the input: prices come from the server only, and
// GraphQL validation answers BAD_USER_INPUT for any field the type lacks.

@InputType()
export class CheckoutItemInputType {
  @Field(() => ID) variantId: string;
  @Field(() => Int) quantity: number;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "The product's buyer inputs (game id, server, meter number, ...)" })
  inputs?: Record<string, string> | null;
}

@InputType()
export class CheckoutContactInput {
  @Field() name: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) whatsapp?: string | null;
}

@InputType()
export class CheckoutInputType {
  @Field(() => [CheckoutItemInputType]) items: CheckoutItemInputType[];
  @Field(() => CheckoutContactInput, { nullable: true, description: "Required for guests; members default to their profile" })
  contact?: CheckoutContactInput | null;
  @Field({ description: "A payment method code (see paymentMethods), MANUAL_*, or WALLET for signed-in buyers" }) paymentMethod: string;
  @Field(() => String, { nullable: true }) voucherCode?: string | null;
  @Field(() => Int, { nullable: true }) pointsToRedeem?: number | null;
  @Field({ description: "Same key + same buyer → the same order; another payload under the key → CONFLICT" }) idempotencyKey: string;
}

@ObjectType("CheckoutResult")
export class CheckoutResultView {
  @Field(() => OrderView) order: OrderView;
  @Field({ description: "Keep it: a guest's only way back to the order" }) trackingToken: string;
  @Field({ description: "true when the wallet already paid the order" }) alreadyPaid: boolean;
  @Field(() => PaymentView, { nullable: true, description: "The open payment attempt and how to pay it (null when paid by wallet or the gateway failed)" }) payment: PaymentView | null;
  @Field(() => String, { nullable: true, description: "The gateway could not be reached; retry with the same idempotency key or payOrder" })
  paymentError: string | null;
}
