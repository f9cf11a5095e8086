import type { DataSource } from "typeorm";
import { ORDER_EDGES } from "../modules/ordering/order-state";

/** One invariant of ../shared/design.md, checked read-only against the database. */
export interface CheckResult {
  name: string;
  /** rows that break the invariant (0 = holds) */
  violations: number;
  /** a few offending ids, to start an investigation */
  sample: string[];
}

interface Check {
  name: string;
  /** selects one row per violation, with an `id` column */
  sql: string;
}

const allowedEdges = Object.entries(ORDER_EDGES)
  .flatMap(([from, tos]) => tos.map((to) => `('${from}','${to}')`))
  .join(",");

/**
 * The ledger and order invariants, each a read-only SELECT of the rows that
 * break it. Safe to run against production: no writes, no locks beyond a
 * consistent read.
 */
const CHECKS: Check[] = [
  {
    name: "wallet balance = sum of its mutations",
    sql: `SELECT w.user_id AS id FROM wallets w
          LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM balance_mutations GROUP BY user_id) m ON m.user_id = w.user_id
          WHERE w.balance <> COALESCE(m.total, 0)`,
  },
  {
    name: "wallet mutation: before + amount = after",
    sql: `SELECT id FROM balance_mutations WHERE balance_before + amount <> balance_after`,
  },
  {
    name: "wallet mutations form an unbroken chain",
    sql: `SELECT m.id FROM balance_mutations m
          LEFT JOIN balance_mutations p ON p.user_id = m.user_id AND p.seq = m.seq - 1
          WHERE (m.seq = 1 AND m.balance_before <> 0) OR (m.seq > 1 AND (p.id IS NULL OR p.balance_after <> m.balance_before))`,
  },
  {
    name: "no wallet balance below zero",
    sql: `SELECT user_id AS id FROM wallets WHERE balance < 0
          UNION ALL SELECT id FROM balance_mutations WHERE balance_after < 0 OR balance_before < 0`,
  },
  {
    name: "points balance = sum of its mutations, chain unbroken, never negative",
    sql: `SELECT a.user_id AS id FROM point_accounts a
          LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM point_mutations GROUP BY user_id) m ON m.user_id = a.user_id
          WHERE a.balance <> COALESCE(m.total, 0) OR a.balance < 0
          UNION ALL
          SELECT m.id FROM point_mutations m
          LEFT JOIN point_mutations p ON p.user_id = m.user_id AND p.seq = m.seq - 1
          WHERE m.balance_before + m.amount <> m.balance_after OR m.balance_after < 0
             OR (m.seq > 1 AND (p.id IS NULL OR p.balance_after <> m.balance_before))`,
  },
  {
    name: "a failed paid order has a refund or an open refund task",
    sql: `SELECT o.id FROM orders o
          WHERE o.status = 'FAILED' AND o.paid_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM refund_tasks t WHERE t.order_id = o.id)
            AND NOT EXISTS (SELECT 1 FROM balance_mutations b WHERE b.type = 'REFUND' AND b.reference_id = o.id)`,
  },
  {
    name: "a refunded order has no refund task still open",
    sql: `SELECT o.id FROM orders o JOIN refund_tasks t ON t.order_id = o.id AND t.status = 'OPEN' WHERE o.status = 'REFUNDED'`,
  },
  {
    name: "an order is refunded to the wallet at most once",
    sql: `SELECT reference_id AS id FROM balance_mutations WHERE type = 'REFUND' GROUP BY reference_type, reference_id HAVING COUNT(*) > 1`,
  },
  {
    name: "at most one supplier purchase per order item and per ref_id",
    sql: `SELECT order_item_id AS id FROM supplier_purchases GROUP BY order_item_id HAVING COUNT(*) > 1
          UNION ALL SELECT ref_id FROM supplier_purchases GROUP BY ref_id HAVING COUNT(*) > 1`,
  },
  {
    name: "each gateway reference credited at most once",
    sql: `SELECT CONCAT(gateway, ':', gateway_reference) AS id FROM payments
          WHERE status = 'PAID' AND gateway_reference IS NOT NULL GROUP BY gateway, gateway_reference HAVING COUNT(*) > 1`,
  },
  {
    name: "no voucher past its limit",
    sql: `SELECT v.id FROM vouchers v
          LEFT JOIN (SELECT voucher_id, COUNT(*) AS n FROM voucher_usages WHERE status IN ('RESERVED','USED') GROUP BY voucher_id) u ON u.voucher_id = v.id
          WHERE (v.total_limit IS NOT NULL AND (v.used_count > v.total_limit OR COALESCE(u.n, 0) > v.total_limit))
             OR v.used_count <> COALESCE(u.n, 0)`,
  },
  {
    name: "no stock below zero",
    sql: `SELECT id FROM product_variants WHERE stock < 0`,
  },
  {
    name: "every stored callback processed or rejected with a reason",
    sql: `SELECT id FROM payment_callbacks
          WHERE (processed_at IS NULL AND created_at < NOW() - INTERVAL 10 MINUTE) OR (processed_at IS NOT NULL AND outcome IS NULL)`,
  },
  {
    name: "no backward or unknown transition in the order log",
    sql: `SELECT id FROM order_transitions WHERE from_status IS NOT NULL AND (from_status, to_status) NOT IN (${allowedEdges})`,
  },
];

export async function runLedgerChecks(dataSource: DataSource): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    const rows = (await dataSource.query(check.sql)) as { id: string }[];
    results.push({ name: check.name, violations: rows.length, sample: rows.slice(0, 5).map((row) => String(row.id)) });
  }
  return results;
}
