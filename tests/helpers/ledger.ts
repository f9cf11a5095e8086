import { expect } from "chai";
import type { DataSource } from "typeorm";

/**
 * Invariant 2, checked from the tables: the balance is never negative and
 * equals SUM(amount); the rows, in seq order 1..n, form an unbroken chain
 * (each before = the previous after, after = before + amount).
 */
export async function expectLedgerConsistent(
  dataSource: DataSource,
  tables: { accounts: string; mutations: string },
  userId: string,
): Promise<{ balance: number; rows: number }> {
  const accounts: { balance: string; mutation_count: number }[] = await dataSource.query(
    `SELECT balance, mutation_count FROM ${tables.accounts} WHERE user_id = ?`,
    [userId],
  );
  const rows: { seq: number | null; amount: string; balance_before: string; balance_after: string }[] = await dataSource.query(
    `SELECT seq, amount, balance_before, balance_after FROM ${tables.mutations} WHERE user_id = ? ORDER BY seq`,
    [userId],
  );
  const balance = accounts.length === 0 ? 0 : Number(accounts[0].balance);
  expect(balance).to.be.at.least(0);
  let previous = 0;
  rows.forEach((row, index) => {
    expect(row.seq, "seq").to.equal(index + 1);
    expect(Number(row.balance_before), `before of #${row.seq}`).to.equal(previous);
    expect(Number(row.balance_after), `after of #${row.seq}`).to.equal(previous + Number(row.amount));
    expect(Number(row.balance_after)).to.be.at.least(0);
    previous = Number(row.balance_after);
  });
  expect(previous, "last after = balance").to.equal(balance);
  expect(rows.reduce((sum, row) => sum + Number(row.amount), 0), "ledger sum = balance").to.equal(balance);
  if (accounts.length > 0) expect(Number(accounts[0].mutation_count)).to.equal(rows.length);
  return { balance, rows: rows.length };
}

export const WALLET_TABLES = { accounts: "wallets", mutations: "balance_mutations" };
export const POINTS_TABLES = { accounts: "point_accounts", mutations: "point_mutations" };

/** Settles every promise and sorts the outcomes: values, and error codes (or messages). */
export async function settle<T>(tasks: Promise<T>[]): Promise<{ ok: T[]; failed: string[] }> {
  const results = await Promise.allSettled(tasks);
  const ok: T[] = [];
  const failed: string[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") ok.push(result.value);
    else failed.push(String(result.reason?.extensions?.code ?? result.reason?.message ?? result.reason));
  }
  return { ok, failed };
}
