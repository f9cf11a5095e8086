import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./processes";

/**
 * Compiles the store like `npm run build` (tsconfig.build.json), into a
 * temporary directory so no one's dist/ is touched, and answers how to start
 * it: `node <dir>/src/main.js`, as `npm run start:prod` does. The bench
 * measures the API and the worker this way by default, because ts-node keeps
 * the TypeScript compiler and every transpiled file in memory (well over
 * 100 MB per process) — a cost of the dev tool, not of the store.
 */
export async function buildStore(): Promise<{ main: string; remove: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lapak-bench-build-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", dir, "--sourceMap", "false"], { cwd: ROOT });
  } catch (error) {
    remove();
    const { stdout } = error as { stdout?: string };
    throw new Error(`tsc -p tsconfig.build.json failed:\n${stdout ?? (error as Error).message}`);
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  cpSync(path.join(ROOT, "src/core/playground"), path.join(dir, "src/core/playground"), { recursive: true });
  return { main: path.join(dir, "src/main.js"), remove };
}
