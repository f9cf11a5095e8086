import { Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";

@ObjectType("SupplierSyncChange", { description: "One variant a supplier sync changed" })
export class SupplierSyncChangeGql {
  @Field() supplierSku: string;
  @Field(() => ID) variantId: string;
  @Field({ description: "ADDED, UPDATED, DEACTIVATED or REACTIVATED" }) action: string;
  @Field(() => GraphQLSafeInt, { nullable: true }) fromCost?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) toCost?: number | null;
  @Field(() => Boolean, { nullable: true, description: "the cost jumped past CATALOG_PRICE_JUMP_PERCENT" }) flagged?: boolean | null;
}

@ObjectType("SupplierSyncReport", { description: "What one supplier price-list sync did" })
export class SupplierSyncReportGql {
  @Field(() => ID) id: string;
  @Field() supplier: string;
  @Field({ description: "MANUAL or SCHEDULED" }) trigger: string;
  @Field({ description: "OK (applied; row problems are in errors) or FAILED (the list could not be read; nothing changed)" }) status: string;
  @Field(() => ID, { nullable: true }) actorId: string | null;
  @Field(() => Int) added: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) deactivated: number;
  @Field(() => Int) reactivated: number;
  @Field(() => Int) flagged: number;
  @Field(() => [String]) errors: string[];
  @Field(() => [SupplierSyncChangeGql]) changes: SupplierSyncChangeGql[];
  @Field() startedAt: Date;
  @Field() finishedAt: Date;
}
