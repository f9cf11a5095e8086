import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLJSON, GraphQLSafeInt } from "graphql-scalars";

export enum ResolveOutcome {
  SUCCESS = "SUCCESS",
  FAILED = "FAILED",
}

registerEnumType(ResolveOutcome, { name: "ResolveOutcome", description: "How staff settle an order item: delivered (with the SN) or failed (the order is refunded)" });

@ObjectType("QueueCounts", { description: "How many jobs a queue holds in each state" })
export class QueueCountsView {
  @Field() name: string;
  @Field(() => Int) waiting: number;
  @Field(() => Int) active: number;
  @Field(() => Int) delayed: number;
  @Field(() => Int) completed: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) paused: number;
}

@ObjectType("FailedJob", { description: "A job that failed, with its error message (never a stack trace)" })
export class FailedJobView {
  @Field(() => ID) id: string;
  @Field() queue: string;
  @Field() name: string;
  @Field(() => GraphQLJSON, { nullable: true, description: "The job's payload (ids; secret-looking keys are masked)" }) data: unknown;
  @Field(() => String, { nullable: true }) failedReason: string | null;
  @Field(() => Int) attemptsMade: number;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) failedAt: Date | null;
}

@ObjectType("ItemAwaitingStaff", { description: "An order item a person has to settle" })
export class ItemAwaitingStaffView {
  @Field(() => ID) orderItemId: string;
  @Field(() => ID) orderId: string;
  @Field() invoiceNumber: string;
  @Field() productName: string;
  @Field({ description: "Fulfilment kind: STOCK, INVITE, SUBSCRIPTION, ..., or SUPPLIER when the purchase waits for staff" }) kind: string;
  @Field(() => String, { nullable: true }) customerNo: string | null;
  @Field(() => GraphQLDateTimeISO, { description: "When the item last changed (it turned PROCESSING)" }) since: Date;
  @Field(() => String, { nullable: true, description: "The supplier purchase's status (NEEDS_STAFF), null without one" }) purchaseStatus: string | null;
  @Field(() => String, { nullable: true }) refId: string | null;
  @Field(() => String, { nullable: true, description: "The supplier's last message or error" }) purchaseMessage: string | null;
  @Field() needsReview: boolean;
  @Field(() => String, { nullable: true }) reviewReason: string | null;
}

@ObjectType("SupplierBalance", { description: "The store's deposit at the supplier (Digiflazz cek-saldo)" })
export class SupplierBalanceView {
  @Field(() => GraphQLSafeInt, { description: "Integer rupiah" }) balance: number;
  @Field(() => GraphQLSafeInt, { description: "Below this the deposit is low (SUPPLIER_LOW_BALANCE)" }) lowThreshold: number;
  @Field() low: boolean;
  @Field(() => GraphQLDateTimeISO) checkedAt: Date;
}

@InputType()
export class ResolveOrderItemInput {
  @Field(() => ID) orderItemId: string;
  @Field(() => ResolveOutcome) outcome: ResolveOutcome;
  @Field(() => String, { nullable: true, description: "Required for SUCCESS: the SN / code / account delivered" }) sn?: string | null;
  @Field({ description: "Why (kept in the audit log and the order's history)" }) reason: string;
}
