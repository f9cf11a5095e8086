import { Column, Entity, Index } from "typeorm";
import { BaseEntity } from "../../core/base.entity";
import { OrderStatus } from "./order-state";

/** The transaction log: one row per status change, written with the change. */
@Entity("order_transitions")
@Index("idx_order_transitions_order", ["orderId", "id"])
export class OrderTransition extends BaseEntity {
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  @Column({ name: "from_status", type: "enum", enum: OrderStatus, nullable: true })
  fromStatus: OrderStatus | null;

  @Column({ name: "to_status", type: "enum", enum: OrderStatus })
  toStatus: OrderStatus;

  /** "user:<id>", "guest", "gateway:TRIPAY", "system:expiry", ... */
  @Column({ type: "varchar", length: 80 })
  actor: string;

  @Column({ type: "varchar", length: 255 })
  reason: string;

  /** Internal details (gateway or supplier payload): staff only. */
  @Column({ type: "json", nullable: true })
  payload: Record<string, unknown> | null;
}
