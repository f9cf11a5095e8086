import { Column, Entity, Index, OneToMany } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";
import { OrderKind, OrderStatus } from "./order-state";
import { OrderItem } from "./order-item.entity";

@Entity("orders")
@Index("uq_orders_idempotency", ["buyerKey", "idempotencyKey"], { unique: true })
@Index("idx_orders_user", ["userId", "id"])
@Index("idx_orders_status_expiry", ["status", "expiresAt"])
export class Order extends BaseEntity {
  /** INV-YYYYMMDD-XXXXX (5 Crockford base32 characters). */
  @Index("uq_orders_invoice", { unique: true })
  @Column({ name: "invoice_number", type: "varchar", length: 20 })
  invoiceNumber: string;

  /** The member who bought; null for a guest. */
  @Column({ name: "user_id", type: "char", length: 26, nullable: true })
  userId: string | null;

  /** Contact snapshot (required for guests, copied from the profile for members). */
  @Column({ name: "contact_name", type: "varchar", length: 120 })
  contactName: string;

  @Column({ name: "contact_email", type: "varchar", length: 190, nullable: true })
  contactEmail: string | null;

  @Column({ name: "contact_whatsapp", type: "varchar", length: 20, nullable: true })
  contactWhatsapp: string | null;

  /** SHA-256 (hex) of the tracking token; the token itself is derived, never stored. */
  @Index("uq_orders_tracking", { unique: true })
  @Column({ name: "tracking_token_hash", type: "char", length: 64 })
  trackingTokenHash: string;

  @Column({ type: "enum", enum: OrderStatus, default: OrderStatus.PENDING_PAYMENT })
  status: OrderStatus;

  /** PURCHASE (catalog items) or TOPUP (no items: pays money into the buyer's wallet). */
  @Column({ type: "enum", enum: OrderKind, default: OrderKind.PURCHASE })
  kind: OrderKind;

  @Column(moneyColumn("subtotal"))
  subtotal: number;

  @Column(moneyColumn("voucher_discount", { default: 0 }))
  voucherDiscount: number;

  @Column({ name: "voucher_code", type: "varchar", length: 40, nullable: true })
  voucherCode: string | null;

  @Column({ name: "points_used", type: "int", default: 0 })
  pointsUsed: number;

  @Column(moneyColumn("points_value", { default: 0 }))
  pointsValue: number;

  /** The fee the buyer pays on top (0 when the merchant bears it). */
  @Column(moneyColumn("payment_fee", { default: 0 }))
  paymentFee: number;

  @Column(moneyColumn("total"))
  total: number;

  /** Reseller in cashback mode: retail − reseller price, credited to the wallet as CASHBACK when paid. */
  @Column(moneyColumn("cashback_amount", { default: 0 }))
  cashbackAmount: number;

  @Column({ name: "payment_method_code", type: "varchar", length: 40, nullable: true })
  paymentMethodCode: string | null;

  @Column({ name: "expires_at", type: "datetime" })
  expiresAt: Date;

  @Column({ name: "paid_at", type: "datetime", nullable: true })
  paidAt: Date | null;

  /** "user:<id>" or "guest:<email|whatsapp>": whose idempotency key it is. */
  @Column({ name: "buyer_key", type: "varchar", length: 200, nullable: true })
  buyerKey: string | null;

  @Column({ name: "idempotency_key", type: "varchar", length: 100, nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the canonical checkout payload: a reused key with another payload is a CONFLICT. */
  @Column({ name: "payload_hash", type: "char", length: 64, nullable: true })
  payloadHash: string | null;

  /** Set when something needs an admin's eyes (amount mismatch, late payment, ...). */
  @Column({ name: "needs_review", type: "boolean", default: false })
  needsReview: boolean;

  @Column({ name: "review_reason", type: "varchar", length: 255, nullable: true })
  reviewReason: string | null;

  /** How many status changes (transaction-log rows) the order has had: its events carry it, so followers drop stale ones. */
  @Column({ name: "status_version", type: "int", default: 0 })
  statusVersion: number;

  @OneToMany(() => OrderItem, (item) => item.order)
  items?: OrderItem[];
}
