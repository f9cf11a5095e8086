import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import { replayHeaders, type Delivery } from "./callbacks";
import { pool, sleep } from "./workload";

type Request = Pick<Delivery, "url" | "headers" | "body">;
/** An HTTP status, or the error code of a request that got no answer ("ECONNRESET", "timeout"). */
export type Answer = number | string;
interface Plan {
  deliveries: Request[];
  perSecond: number;
  parallel: number;
}

/**
 * Sends callbacks at a fixed rate from a child process. A real attacker is on
 * another machine: sending from the drill process would delay the fault proxies
 * and simulators it hosts (and so every statement of the store), and the child
 * runs at the lowest CPU priority so its own work does not take the store's
 * cores. Start it before measuring (loading it takes CPU for a while).
 */
export class Attacker {
  private constructor(private readonly child: ChildProcess) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(): Promise<Attacker> {
    const child = fork(__filename, [], { execArgv: ["-r", "ts-node/register/transpile-only"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`attacker exited with code ${String(code)} while starting`)));
    });
    return new Attacker(child);
  }

  /**
   * Hands the plan over ahead of time: copying thousands of deliveries to the
   * child stalls the drill process (whose clients and simulators are measured) for ~0.1 s.
   */
  load(plan: Plan): Promise<void> {
    return this.exchange({ plan });
  }

  /** Sends every delivery of the loaded plan; answers each one's HTTP status, or why none came (the child lives on until stop(), so its CPU can still be read). */
  fire(): Promise<Answer[]> {
    return this.exchange("fire");
  }

  private exchange<T>(message: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`attacker exited with code ${String(code)} before answering`));
      this.child.once("exit", exited);
      this.child.once("message", (answer) => {
        this.child.off("exit", exited);
        resolve(answer as T);
      });
      this.child.send(message as object);
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

async function attack({ deliveries, perSecond, parallel }: Plan): Promise<Answer[]> {
  // an idle timeout of its own, or Node 20's agent keeps idle sockets until the store closes them,
  // and a forgery sent on one at that moment is reset before the store reads it
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel, timeout: 4_000 });
  const start = Date.now();
  return pool(deliveries, parallel, async (delivery, i) => {
    await sleep(start + (i * 1000) / perSecond - Date.now());
    return post(agent, delivery);
  });
}

/** One POST with node:http (fetch costs several times the CPU per request). */
function post(agent: http.Agent, { url, headers, body }: Request): Promise<Answer> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: "POST", agent, headers: { ...replayHeaders(headers), "content-length": Buffer.byteLength(body) }, timeout: 15_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? "no status"));
      response.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end(body);
  });
}

if (require.main === module) {
  // the lowest CPU priority stands in for a machine of its own: the store's processes come first on these two cores
  os.setPriority(19);
  let plan: Plan;
  process.on("message", (message: { plan: Plan } | "fire") => {
    if (message !== "fire") {
      plan = message.plan;
      return void process.send!("loaded");
    }
    void attack(plan).then((answers) => process.send!(answers));
  });
  process.send!("ready");
}
