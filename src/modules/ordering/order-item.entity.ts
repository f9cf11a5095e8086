import { Column, Entity, Index, JoinColumn, ManyToOne } from "typeorm";
import { registerEnumType } from "type-graphql";
import { BaseEntity } from "../../core/base.entity";
import { moneyColumn } from "../../core/money";
import { Order } from "./order.entity";

/** An item's own progress (a cart can ship one item and fail another). */
export enum FulfilmentStatus {
  PENDING = "PENDING",
  PROCESSING = "PROCESSING",
  SUCCESS = "SUCCESS",
  FAILED = "FAILED",
  SHIPPED = "SHIPPED",
  CANCELLED = "CANCELLED",
}

registerEnumType(FulfilmentStatus, { name: "FulfilmentStatus" });

@Entity("order_items")
export class OrderItem extends BaseEntity {
  @Index("idx_order_items_order")
  @Column({ name: "order_id", type: "char", length: 26 })
  orderId: string;

  @ManyToOne(() => Order, (order) => order.items, { onDelete: "CASCADE" })
  @JoinColumn({ name: "order_id" })
  order?: Order;

  @Column({ name: "variant_id", type: "char", length: 26 })
  variantId: string;

  /** Product and variant name as sold (the catalog may rename later). */
  @Column({ name: "product_name", type: "varchar", length: 200 })
  productName: string;

  @Column({ type: "int" })
  quantity: number;

  @Column(moneyColumn("unit_price"))
  unitPrice: number;

  /** The buyer's validated inputs (game id, server, meter number, ...). */
  @Column({ type: "json", nullable: true })
  inputs: Record<string, string> | null;

  /** What the supplier gets as customer_no, built from the inputs. */
  @Column({ name: "customer_no", type: "varchar", length: 100, nullable: true })
  customerNo: string | null;

  /** SUPPLIER, STOCK_CODE, INVITE, PHYSICAL, PROVISIONING (owned by fulfilment). */
  @Column({ name: "fulfilment_kind", type: "varchar", length: 30 })
  fulfilmentKind: string;

  @Column({ name: "fulfilment_status", type: "enum", enum: FulfilmentStatus, default: FulfilmentStatus.PENDING })
  fulfilmentStatus: FulfilmentStatus;

  /** Snapshot at checkout: the supplier's product code and the most the store may pay for it (max_price). */
  @Column({ name: "supplier_sku", type: "varchar", length: 64, nullable: true })
  supplierSku: string | null;

  @Column({ ...moneyColumn("cost_price", { nullable: true }) })
  costPrice: number | null;

  @Column({ type: "varchar", length: 255, nullable: true })
  sn: string | null;
}
