import { registerEnumType } from "type-graphql";
import { conflict } from "../../core/errors";

/** The order life of the design (docs/architecture.md, "Order life"). */
export enum OrderStatus {
  PENDING_PAYMENT = "PENDING_PAYMENT",
  WAITING_VERIFICATION = "WAITING_VERIFICATION",
  PAID = "PAID",
  PROCESSING = "PROCESSING",
  SUCCESS = "SUCCESS",
  FAILED = "FAILED",
  REFUNDED = "REFUNDED",
  EXPIRED = "EXPIRED",
  CANCELLED = "CANCELLED",
  SHIPPED = "SHIPPED",
  COMPLETED = "COMPLETED",
}

/** What an order buys: catalog items, or a wallet top-up (no items; the wallet is credited when PAID). */
export enum OrderKind {
  PURCHASE = "PURCHASE",
  TOPUP = "TOPUP",
}

registerEnumType(OrderKind, { name: "OrderKind" });

registerEnumType(OrderStatus, { name: "OrderStatus", description: "Where an order stands in its life" });

/**
 * The ONE list of allowed edges. Anything not listed (including staying put)
 * is refused, so a status never moves backwards. The only edge that returns
 * to an earlier state is the CS rejection of a manual-transfer proof, which
 * the design names explicitly (WAITING_VERIFICATION → PENDING_PAYMENT).
 */
export const ORDER_EDGES: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  [OrderStatus.PENDING_PAYMENT]: [OrderStatus.PAID, OrderStatus.WAITING_VERIFICATION, OrderStatus.EXPIRED, OrderStatus.CANCELLED],
  [OrderStatus.WAITING_VERIFICATION]: [OrderStatus.PAID, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED],
  [OrderStatus.PAID]: [OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.FAILED],
  [OrderStatus.PROCESSING]: [OrderStatus.SUCCESS, OrderStatus.FAILED],
  [OrderStatus.FAILED]: [OrderStatus.REFUNDED],
  [OrderStatus.SHIPPED]: [OrderStatus.COMPLETED],
  [OrderStatus.SUCCESS]: [],
  [OrderStatus.REFUNDED]: [],
  [OrderStatus.EXPIRED]: [],
  [OrderStatus.CANCELLED]: [],
  [OrderStatus.COMPLETED]: [],
};

/** Statuses in which money has not been taken yet and the order may still be paid. */
export const UNPAID_STATUSES: readonly OrderStatus[] = [OrderStatus.PENDING_PAYMENT, OrderStatus.WAITING_VERIFICATION];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_EDGES[from].includes(to);
}

/** Refuses an edge the order life does not have. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw illegalTransition(from, to);
}

export const illegalTransition = (from: OrderStatus, to: OrderStatus) =>
  conflict(`An order cannot go from ${from} to ${to}`, { from, to });

export function isTerminal(status: OrderStatus): boolean {
  return ORDER_EDGES[status].length === 0;
}
