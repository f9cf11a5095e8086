import { ArgsType, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLSafeInt } from "graphql-scalars";
import { OrderView } from "../ordering/ordering.types";
import { FeeBearer } from "./payment-method.entity";
import { PaymentStatus } from "./payment.entity";
import { ProofStatus } from "./payment-proof.entity";
import { RefundTaskStatus } from "./refund-task.entity";

@ObjectType("PaymentMethodOption", { description: "A way to pay an amount, with its fee" })
export class PaymentMethodOption {
  @Field() code: string;
  @Field() displayName: string;
  @Field() gateway: string;
  @Field() channel: string;
  @Field(() => GraphQLSafeInt, { description: "Fee the buyer pays on top (0 when the store bears it)" }) fee: number;
  @Field(() => GraphQLSafeInt) totalToPay: number;
  @Field(() => String, { nullable: true }) instructions: string | null;
}

@ObjectType("PaymentMethod", { description: "Admin view of a payment method" })
export class PaymentMethodView {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() gateway: string;
  @Field() channel: string;
  @Field() displayName: string;
  @Field(() => GraphQLSafeInt) feeFlat: number;
  @Field(() => Int, { description: "basis points: 70 = 0.70 %" }) feePercentBp: number;
  @Field(() => FeeBearer) feeBearer: FeeBearer;
  @Field(() => GraphQLSafeInt) minAmount: number;
  @Field(() => GraphQLSafeInt) maxAmount: number;
  @Field() active: boolean;
  @Field(() => Int) sort: number;
  @Field(() => String, { nullable: true }) instructions: string | null;
}

@InputType()
export class PaymentMethodInputType {
  @Field() code: string;
  @Field() gateway: string;
  @Field() channel: string;
  @Field() displayName: string;
  @Field(() => GraphQLSafeInt) feeFlat: number;
  @Field(() => Int) feePercentBp: number;
  @Field(() => FeeBearer) feeBearer: FeeBearer;
  @Field(() => GraphQLSafeInt) minAmount: number;
  @Field(() => GraphQLSafeInt) maxAmount: number;
  @Field() active: boolean;
  @Field(() => Int) sort: number;
  @Field(() => String, { nullable: true }) instructions?: string | null;
}

@ObjectType("PaymentInstructions")
export class PaymentInstructions {
  @Field(() => String, { nullable: true }) payUrl: string | null;
  @Field(() => String, { nullable: true }) vaNumber: string | null;
  @Field(() => String, { nullable: true }) qrString: string | null;
  @Field(() => String, { nullable: true }) paymentCode: string | null;
  @Field(() => String, { nullable: true, description: "Manual transfer: where to send the money" }) text: string | null;
}

@ObjectType("Payment", { description: "One payment attempt of an order" })
export class PaymentView {
  @Field(() => ID) id: string;
  @Field() reference: string;
  @Field() methodCode: string;
  @Field(() => PaymentStatus) status: PaymentStatus;
  @Field(() => GraphQLSafeInt) amountToPay: number;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) paidAt: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) expiresAt: Date | null;
  @Field(() => PaymentInstructions, { nullable: true, description: "How to pay (while pending)" }) instructions: PaymentInstructions | null;
}

@ObjectType("PaymentProof")
export class PaymentProofView {
  @Field(() => ID) id: string;
  @Field() contentType: string;
  @Field(() => Int) sizeBytes: number;
  @Field(() => ProofStatus) status: ProofStatus;
  @Field(() => String, { nullable: true }) reviewReason: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;
}

@ObjectType("PaymentProofFile")
export class PaymentProofFile {
  @Field() contentType: string;
  @Field() base64: string;
}

@ObjectType("ManualTransferItem", { description: "An order waiting for a CS check, with its latest proof" })
export class ManualTransferItem {
  @Field(() => OrderView) order: OrderView;
  @Field(() => PaymentProofView, { nullable: true }) proof: PaymentProofView | null;
}

@ObjectType("ManualTransferQueue")
export class ManualTransferQueue {
  @Field(() => [ManualTransferItem]) nodes: ManualTransferItem[];
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

@ArgsType()
export class UploadProofArgs {
  @Field(() => ID) orderId: string;
  @Field(() => String, { nullable: true, description: "Guests: the order's tracking token" }) trackingToken?: string | null;
  @Field({ description: "The file (PNG, JPEG, WebP or PDF), base64" }) fileBase64: string;
}

@ObjectType("RefundTask", { description: "Money to give back by hand (e.g. a guest paid after expiry)" })
export class RefundTaskView {
  @Field(() => ID) id: string;
  @Field(() => ID) orderId: string;
  @Field() reason: string;
  @Field(() => GraphQLSafeInt) amount: number;
  @Field(() => RefundTaskStatus) status: RefundTaskStatus;
  @Field(() => String, { nullable: true }) reference: string | null;
  @Field(() => String, { nullable: true }) settledBy: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) settledAt: Date | null;
}
