import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { LedgerMutationColumns } from "../../core/ledger-columns";

export enum PointMutationType {
  EARN = "EARN",
  REDEEM = "REDEEM",
  REVERSAL = "REVERSAL",
  ADJUSTMENT = "ADJUSTMENT",
}
registerEnumType(PointMutationType, { name: "PointMutationType", description: "Why a points balance changed" });

/**
 * The points ledger; amount is signed points. EARN and REDEEM reference the
 * order; a REVERSAL references the mutation it undoes (POINT_MUTATION + id),
 * so each is reversed at most once.
 */
@Entity("point_mutations")
@Index("uq_point_mutations_reference", ["type", "referenceType", "referenceId"], { unique: true })
@Index("uq_point_mutations_user_seq", ["userId", "seq"], { unique: true })
export class PointMutation extends LedgerMutationColumns {
  @Column({ type: "enum", enum: PointMutationType })
  type: PointMutationType;
}
