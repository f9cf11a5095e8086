import { Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLSafeInt } from "graphql-scalars";

/**
 * The GraphQL fields every ledger entry (wallet, points) shows; each module
 * adds its own `type` enum. Never returned itself, so it stays out of the schema.
 */
@ObjectType()
export abstract class LedgerEntryFields {
  @Field(() => ID)
  id: string;

  @Field(() => GraphQLSafeInt, { description: "Signed: positive adds, negative takes" })
  amount: number;

  @Field(() => GraphQLSafeInt)
  balanceBefore: number;

  @Field(() => GraphQLSafeInt)
  balanceAfter: number;

  @Field(() => Int, { description: "Position in this user's ledger, from 1" })
  seq: number;

  @Field({ description: "What caused it: ORDER, ADMIN_ADJUSTMENT, POINT_MUTATION, ..." })
  referenceType: string;

  @Field()
  referenceId: string;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => ID, { nullable: true, description: "Who caused it (staff for adjustments)" })
  actorId: string | null;

  @Field(() => GraphQLDateTimeISO)
  createdAt: Date;
}

/** A ledger row as GraphQL shows it (seq is always set once the row's transaction commits). */
export const toLedgerEntry = <T extends { seq: number | null }>(row: T): T & { seq: number } => ({ ...row, seq: row.seq ?? 0 });
