import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

/** A Node child process of the bench (API, worker, a baseline), with its memory readings. */
export class Child {
  /** the last lines it printed, for error messages */
  readonly output: string[] = [];
  private sampledPeakKb = 0;
  private exited?: { code: number | null; signal: NodeJS.Signals | null };

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    process.stdout?.on("data", keep);
    process.stderr?.on("data", keep);
    process.once("close", (code, signal) => (this.exited = { code, signal }));
  }

  /** `node -r ts-node/register/transpile-only <script>` from the project root. */
  static start(name: string, script: string, env: Record<string, string>, args: string[] = []): Child {
    return Child.node(name, ["-r", "ts-node/register/transpile-only", script, ...args], env);
  }

  /** `node <args>` from the project root. */
  static node(name: string, args: string[], env: Record<string, string>): Child {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new Child(name, child);
  }

  get pid(): number {
    return this.process.pid!;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Resolves with the first printed line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const found = () => {
        for (const line of this.output) {
          const match = pattern.exec(line);
          if (match) return match;
        }
        return null;
      };
      const timer = setTimeout(() => finish(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      const check = () => {
        const match = found();
        if (match) finish(undefined, match);
        else if (!this.alive) finish(new Error(`${this.name} exited (${JSON.stringify(this.exited)})\n${this.tail()}`));
      };
      const poll = setInterval(check, 50);
      const finish = (error?: Error, match?: RegExpExecArray) => {
        clearTimeout(timer);
        clearInterval(poll);
        if (error) reject(error);
        else resolve(match!);
      };
      check();
    });
  }

  /** Waits until GET url answers 200. */
  async waitForHttp(url: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)})\n${this.tail()}`);
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) return;
      await sleep(200);
    }
    throw new Error(`${this.name}: ${url} not ready within ${timeoutMs} ms\n${this.tail()}`);
  }

  /** Resident memory now (MB), from /proc/<pid>/status VmRSS. */
  rssMb(): number {
    const kb = readStatus(this.pid, "VmRSS");
    this.sampledPeakKb = Math.max(this.sampledPeakKb, kb);
    return kb / 1024;
  }

  /** The kernel's high-water mark of resident memory since the process started (VmHWM), MB. */
  peakRssMb(): number {
    return Math.max(readStatus(this.pid, "VmHWM"), this.sampledPeakKb) / 1024;
  }

  tail(lines = 15): string {
    return this.output.slice(-lines).join("\n");
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.process.once("close", () => resolve()));
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

function readStatus(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process is gone
  }
}

/**
 * Samples the resident memory of some processes every 100 ms while `run`
 * goes on, and answers the peak of each (MB) alongside run's result.
 */
export async function withMemorySampling<T>(children: Child[], run: () => Promise<T>): Promise<{ result: T; peaksMb: Map<Child, number> }> {
  const peaks = new Map<Child, number>(children.map((child) => [child, child.rssMb()]));
  const sample = () => {
    for (const child of children) if (child.alive) peaks.set(child, Math.max(peaks.get(child) ?? 0, child.rssMb()));
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await run();
    sample();
    return { result, peaksMb: peaks };
  } finally {
    clearInterval(timer);
  }
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
