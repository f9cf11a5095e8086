import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { Role } from "./role";
import { User } from "./user.entity";

/** One row per role a user holds. */
@Entity("user_roles")
@Index("uq_user_roles_user_role", ["userId", "role"], { unique: true })
export class UserRole extends BaseEntity {
  @Column({ name: "user_id", type: "char", length: 26 })
  userId: string;

  @ManyToOne(() => User, (user) => user.roles, { onDelete: "CASCADE" })
  @JoinColumn({ name: "user_id" })
  user?: User;

  @Column({ type: "enum", enum: Role })
  role: Role;
}
