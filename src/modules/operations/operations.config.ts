import { ConfigError } from "../../core/config";
import { EnvReader } from "../../core/env";

export interface OperationsConfig {
  /** integer rupiah: a supplier deposit below this is "low" and alerts admins and billing once per crossing */
  supplierLowBalance: number;
  /** how often the worker checks the supplier deposit (0: never; the query still reads it on demand) */
  supplierBalanceCheckEveryMs: number;
}

/** Reads SUPPLIER_LOW_BALANCE and SUPPLIER_BALANCE_CHECK_EVERY_MS at boot. */
export function loadOperationsConfig(source: NodeJS.ProcessEnv = process.env): OperationsConfig {
  const env = new EnvReader(source);
  const checkEvery = env.int("SUPPLIER_BALANCE_CHECK_EVERY_MS", 600_000, 0, 7 * 24 * 3600_000);
  if (checkEvery > 0 && checkEvery < 1000) env.problems.push("SUPPLIER_BALANCE_CHECK_EVERY_MS must be 0 (off) or at least 1000");
  const config: OperationsConfig = {
    supplierLowBalance: env.int("SUPPLIER_LOW_BALANCE", 500_000, 0),
    supplierBalanceCheckEveryMs: checkEvery,
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
