import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { MemberLevel } from "./member-level.entity";
import { UserRole } from "./user-role.entity";

export enum UserStatus {
  ACTIVE = "ACTIVE",
  SUSPENDED = "SUSPENDED",
}

export enum CustomerType {
  RETAIL = "RETAIL",
  RESELLER = "RESELLER",
}

@Entity("users")
export class User extends BaseEntity {
  @Column({ type: "varchar", length: 120 })
  name: string;

  /** Stored lower-cased, so uniqueness is case-insensitive. */
  @Index("uq_users_email", { unique: true })
  @Column({ type: "varchar", length: 190 })
  email: string;

  /** Normalised to 62… (Indonesian international form). */
  @Column({ type: "varchar", length: 20, nullable: true })
  whatsapp: string | null;

  @Column({ name: "password_hash", type: "varchar", length: 100 })
  passwordHash: string;

  @Column({ type: "enum", enum: UserStatus, default: UserStatus.ACTIVE })
  status: UserStatus;

  @Column({ name: "customer_type", type: "enum", enum: CustomerType, default: CustomerType.RETAIL })
  customerType: CustomerType;

  @Column({ name: "level_id", type: "char", length: 26 })
  levelId: string;

  @ManyToOne(() => MemberLevel, { onDelete: "RESTRICT" })
  @JoinColumn({ name: "level_id" })
  level?: MemberLevel;

  /** Per-reseller API request budget per minute; null = the store default. */
  @Column({ name: "api_rate_limit_per_minute", type: "int", nullable: true })
  apiRateLimitPerMinute: number | null;

  @OneToMany(() => UserRole, (role) => role.user)
  roles?: UserRole[];
}
