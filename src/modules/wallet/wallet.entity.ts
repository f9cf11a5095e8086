import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { LedgerAccountColumns } from "../../core/ledger-columns";
import { User } from "../identity/user.entity";

/** One rupiah balance per user, created at first credit. Changed only through WalletService (the ledger). */
@Entity("wallets")
@Index("uq_wallets_user", ["userId"], { unique: true })
export class Wallet extends LedgerAccountColumns {
  @ManyToOne(() => User, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "user_id" })
  user?: User;

  /** Resellers in cashback mode pay retail through a gateway and get the margin back here. */
  @Column({ name: "cashback_mode", type: "boolean", default: false })
  cashbackMode: boolean;
}
