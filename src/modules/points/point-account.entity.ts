import { Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { LedgerAccountColumns } from "../../core/ledger-columns";
import { User } from "../identity/user.entity";

/** One points balance per user, created at first earn. Changed only through PointsService (the ledger). */
@Entity("point_accounts")
@Index("uq_point_accounts_user", ["userId"], { unique: true })
export class PointAccount extends LedgerAccountColumns {
  @ManyToOne(() => User, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "user_id" })
  user?: User;
}
