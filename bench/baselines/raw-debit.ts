/**
 * Baseline of the hot-wallet scenario: the wallet debit of src/core/ledger.ts
 * (ledger row, conditional balance UPDATE, locked read-back, ledger row
 * completed, in one transaction) written straight with mysql2, on one wallet,
 * by CONCURRENCY concurrent loops sharing a pool of POOL_SIZE connections (the
 * API's pool size). Runs WARMUP_SECONDS, then SECONDS, and prints one JSON
 * line: { count, seconds, throughput, p50, p95, p99 }.
 */
import mysql from "mysql2/promise";
import { ulid } from "ulid";
import { summarise } from "../lib/stats";

const env = (name: string, fallback?: string) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const url = env("DATABASE_URL");
const userId = env("USER_ID");
const seconds = Number(env("SECONDS", "10"));
const warmup = Number(env("WARMUP_SECONDS", "3"));
const concurrency = Number(env("CONCURRENCY", "200"));
const poolSize = Number(env("POOL_SIZE", "8"));
const amount = Number(env("AMOUNT", "20000"));

async function debit(pool: mysql.Pool): Promise<void> {
  const connection = await pool.getConnection();
  try {
    await connection.query("START TRANSACTION");
    const id = ulid();
    await connection.query(
      "INSERT INTO `balance_mutations` (id, user_id, type, amount, balance_before, balance_after, reference_type, reference_id, actor_id, note) VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?)",
      [id, userId, "PURCHASE", -amount, "BENCH_RAW", ulid(), null, "raw mysql2 baseline"],
    );
    const [result] = await connection.query("UPDATE `wallets` SET balance = balance - ?, mutation_count = mutation_count + 1 WHERE user_id = ? AND balance >= ?", [amount, userId, amount]);
    if ((result as { affectedRows: number }).affectedRows !== 1) throw new Error("raw baseline wallet ran dry");
    const [rows] = await connection.query("SELECT balance, mutation_count FROM `wallets` WHERE user_id = ? FOR UPDATE", [userId]);
    const row = (rows as { balance: string; mutation_count: number }[])[0];
    const after = Number(row.balance);
    await connection.query("UPDATE `balance_mutations` SET balance_before = ?, balance_after = ?, seq = ? WHERE id = ?", [after + amount, after, Number(row.mutation_count), id]);
    await connection.query("COMMIT");
  } catch (error) {
    await connection.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

async function phase(pool: mysql.Pool, durationSeconds: number) {
  const latencies: number[] = [];
  let inWindow = 0;
  const end = performance.now() + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await debit(pool);
        const now = performance.now();
        latencies.push(now - started);
        if (now <= end) inWindow += 1;
      }
    }),
  );
  return summarise(latencies, inWindow, latencies.length, durationSeconds);
}

async function main(): Promise<void> {
  const parsed = new URL(url);
  const pool = mysql.createPool({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username || "root"),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    connectionLimit: poolSize,
  });
  try {
    if (warmup > 0) await phase(pool, warmup);
    console.log(JSON.stringify(await phase(pool, seconds)));
  } finally {
    await pool.end();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
