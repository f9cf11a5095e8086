import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject, GraphQLSafeInt } from "graphql-scalars";
import { FulfilmentStatus } from "./order-item.entity";
import { OrderKind, OrderStatus } from "./order-state";

@ObjectType("OrderItem")
export class OrderItemView {
  @Field(() => ID) id: string;
  @Field(() => ID) variantId: string;
  @Field() productName: string;
  @Field(() => Int) quantity: number;
  @Field(() => GraphQLSafeInt) unitPrice: number;
  @Field(() => GraphQLJSONObject, { nullable: true }) inputs: Record<string, string> | null;
  @Field(() => String, { nullable: true }) customerNo: string | null;
  @Field() fulfilmentKind: string;
  @Field(() => FulfilmentStatus) fulfilmentStatus: FulfilmentStatus;
  @Field(() => String, { nullable: true, description: "Serial number / token / code delivered" }) sn: string | null;
}

@ObjectType("OrderTransition", { description: "One line of the order's transaction log" })
export class OrderTransitionView {
  @Field(() => OrderStatus, { nullable: true }) from: OrderStatus | null;
  @Field(() => OrderStatus) to: OrderStatus;
  @Field() reason: string;
  @Field(() => GraphQLDateTimeISO) at: Date;
  @Field(() => String, { nullable: true, description: "Who made the change (staff only)" }) actor: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: "Internal details (staff only)" })
  payload: Record<string, unknown> | null;
}

@ObjectType("Order")
export class OrderView {
  @Field(() => ID) id: string;
  @Field() invoiceNumber: string;
  @Field(() => OrderStatus) status: OrderStatus;
  @Field(() => OrderKind) kind: OrderKind;
  @Field() contactName: string;
  @Field(() => String, { nullable: true }) contactEmail: string | null;
  @Field(() => String, { nullable: true }) contactWhatsapp: string | null;
  @Field(() => GraphQLSafeInt) subtotal: number;
  @Field(() => GraphQLSafeInt) voucherDiscount: number;
  @Field(() => String, { nullable: true }) voucherCode: string | null;
  @Field(() => Int) pointsUsed: number;
  @Field(() => GraphQLSafeInt) pointsValue: number;
  @Field(() => GraphQLSafeInt) paymentFee: number;
  @Field(() => GraphQLSafeInt) total: number;
  @Field(() => String, { nullable: true }) paymentMethodCode: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;
  @Field(() => GraphQLDateTimeISO) expiresAt: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) paidAt: Date | null;
  @Field({ description: "Flagged for an admin (staff only)" }) needsReview: boolean;
  @Field(() => String, { nullable: true, description: "Why it was flagged (staff only)" }) reviewReason: string | null;
  @Field(() => [OrderItemView]) items: OrderItemView[];
  @Field(() => [OrderTransitionView]) history: OrderTransitionView[];
}

@ObjectType("OrderUpdate", { description: "A live status change of an order" })
export class OrderUpdate {
  @Field(() => ID) orderId: string;
  @Field() invoiceNumber: string;
  @Field(() => OrderStatus) status: OrderStatus;
  @Field(() => String, { nullable: true, description: "The delivered SN, once SUCCESS (for those who may see it)" }) sn: string | null;
  @Field() message: string;
  @Field(() => GraphQLDateTimeISO) at: Date;
}

@ObjectType("OrderConnection")
export class OrderConnection {
  @Field(() => [OrderView]) nodes: OrderView[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ArgsType()
export class MyOrdersArgs {
  @Field(() => [OrderStatus], { nullable: true }) status?: OrderStatus[];
  @Field(() => Int, { defaultValue: 20 }) first: number;
  @Field(() => String, { nullable: true }) after?: string | null;
}
