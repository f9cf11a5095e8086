import { fork, type ChildProcess } from "node:child_process";
import { deliver, type Delivery } from "./callbacks";
import { pool, sleep } from "./workload";

type Request = Pick<Delivery, "url" | "headers" | "body">;
interface Plan {
  deliveries: Request[];
  perSecond: number;
  parallel: number;
}

/**
 * Sends callbacks at a fixed rate from a child process. An attacker is not on
 * the store's event loop: sending from the drill process would delay the fault
 * proxies and simulators it hosts, and so every statement of the store, by the
 * drill's own work. Start it before measuring (loading it takes CPU for a while).
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
  const start = Date.now();
  return pool(deliveries, parallel, async (delivery, i) => {
    await sleep(start + (i * 1000) / perSecond - Date.now());
    return deliver(delivery);
  });
}

if (require.main === module) {
  process.once("message", (plan) => {
    void attack(plan as Plan).then((answers) => process.send!(answers, () => process.exit(0)));
  });
  process.send!("ready");
}
