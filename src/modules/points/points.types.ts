import { Field, Int, ObjectType } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { LedgerEntryFields } from "../../core/ledger-types";
import { PointMutationType } from "./point-mutation.entity";

@ObjectType({ description: "One points ledger entry, amounts in points" })
export class PointMutationInfo extends LedgerEntryFields {
  @Field(() => PointMutationType)
  type: PointMutationType;
}

@ObjectType({ description: "The signed-in user's points, the store's rules and a page of the ledger" })
export class MyPoints {
  @Field(() => GraphQLSafeInt)
  balance: number;

  @Field(() => GraphQLSafeInt, { description: "Rupiah one point pays at checkout" })
  pointValueRupiah: number;

  @Field(() => Int, { description: "Largest share of an order total points may pay, in basis points" })
  maxRedeemShareBps: number;

  @Field(() => GraphQLSafeInt, { description: "One point per this many rupiah paid (0: earning is off)" })
  rupiahPerPointEarned: number;

  @Field(() => [PointMutationInfo], { description: "Newest first" })
  mutations: PointMutationInfo[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last" })
  nextCursor: string | null;
}
