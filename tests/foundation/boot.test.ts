import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { TEST_REDIS_PREFIX, siblingDatabaseUrl } from "../helpers/env";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `src/main.ts` as `npm start` does, and collects what it prints. */
function runMain(env: Record<string, string>, untilLine?: RegExp) {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", LOG_FORMAT: "json", REDIS_PREFIX: TEST_REDIS_PREFIX, ...env },
  });
  let stdout = "";
  let stderr = "";
  const ready = new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (untilLine?.test(stdout)) resolve();
    });
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe("Booting the store", function () {
  this.timeout(60_000);

  it("stops with one clear line naming the URL when MySQL is unreachable", async () => {
    const run = runMain({ DATABASE_URL: "mysql://root@127.0.0.1:1/lapak", PORT: "0" });
    expect(await run.exited).to.equal(1);
    const lines = run.output().stderr.trim().split("\n");
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain("Cannot reach MySQL at mysql://root@127.0.0.1:1/lapak");
    expect(lines[0]).to.contain("Start it");
    expect(lines[0]).not.to.match(/\n\s+at /);
  });

  it("stops with one clear line naming the URL when Redis is unreachable", async () => {
    const run = runMain({ REDIS_URL: "redis://127.0.0.1:1", PORT: "0", DATABASE_URL: siblingDatabaseUrl("boot") });
    expect(await run.exited).to.equal(1);
    const lines = run.output().stderr.trim().split("\n");
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain("Cannot reach Redis at redis://127.0.0.1:1");
  });

  it("lists every configuration problem and starts nothing", async () => {
    const run = runMain({ PORT: "http", APP_ROLE: "everything", CALLBACK_URL: "ftp://shop.example" });
    expect(await run.exited).to.equal(1);
    const { stderr } = run.output();
    expect(stderr).to.contain("PORT must be a whole number");
    expect(stderr).to.contain("APP_ROLE must be one of all, api, worker, webhooks");
    expect(stderr).to.contain("CALLBACK_URL must use http: or https:");
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const run = runMain(
      { PORT: port, SANDBOX_PORT: "0", SEED_DEMO: "false", DATABASE_URL: siblingDatabaseUrl("boot") },
      /Lapak is up/,
    );
    await Promise.race([run.ready, run.exited]);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).to.equal(200);
    run.child.kill("SIGTERM");
    expect(await run.exited).to.equal(0);
    expect(run.output().stdout).to.contain("shutting down");
  });
});
