import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import { replayHeaders, type Delivery } from "./callbacks";
import { pool, sleep } from "./workload";

type Request = Pick<Delivery, "url" | "headers" | "body">;
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

  static async start(): Promise<Attacker> {
    const child = fork(__filename, [], { execArgv: ["-r", "ts-node/register/transpile-only"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`attacker exited with code ${String(code)} while starting`)));
    });
    return new Attacker(child);
  }

  /** Sends every delivery as planned, then ends the child; answers each one's HTTP status (0: no answer). */
  send(plan: Plan): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.child.once("message", (answers) => resolve(answers as number[]));
      this.child.once("exit", (code) => reject(new Error(`attacker exited with code ${String(code)} before answering`)));
      this.child.send(plan);
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

async function attack({ deliveries, perSecond, parallel }: Plan): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  const start = Date.now();
  return pool(deliveries, parallel, async (delivery, i) => {
    await sleep(start + (i * 1000) / perSecond - Date.now());
    return post(agent, delivery);
  });
}

/** One POST with node:http (fetch costs several times the CPU per request); the HTTP status, 0 when no answer came. */
function post(agent: http.Agent, { url, headers, body }: Request): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: "POST", agent, headers: { ...replayHeaders(headers), "content-length": Buffer.byteLength(body) }, timeout: 15_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", () => resolve(0));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(0));
    request.end(body);
  });
}

if (require.main === module) {
  // the lowest CPU priority stands in for a machine of its own: the store's processes come first on these two cores
  os.setPriority(19);
  process.once("message", (plan) => {
    void attack(plan as Plan).then((answers) => process.send!(answers, () => process.exit(0)));
  });
  process.send!("ready");
}
