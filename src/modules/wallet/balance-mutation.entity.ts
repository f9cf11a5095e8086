import { Column, Entity, Index } from "typeorm";
import { registerEnumType } from "type-graphql";
import { LedgerMutationColumns } from "../../core/ledger-columns";

export enum BalanceMutationType {
  TOPUP = "TOPUP",
  PURCHASE = "PURCHASE",
  REFUND = "REFUND",
  CASHBACK = "CASHBACK",
  ADJUSTMENT = "ADJUSTMENT",
  REVERSAL = "REVERSAL",
}
registerEnumType(BalanceMutationType, { name: "BalanceMutationType", description: "Why a wallet balance changed" });

/**
 * The wallet ledger (mutasi saldo), in rupiah; amount is signed (see
 * LedgerMutationColumns). (type, reference) is unique: the same refund or
 * credit can be applied only once.
 */
@Entity("balance_mutations")
@Index("uq_balance_mutations_reference", ["type", "referenceType", "referenceId"], { unique: true })
@Index("uq_balance_mutations_user_seq", ["userId", "seq"], { unique: true })
export class BalanceMutation extends LedgerMutationColumns {
  @Column({ type: "enum", enum: BalanceMutationType })
  type: BalanceMutationType;
}
