import { fork } from "node:child_process";
import { deliver, type Delivery } from "./callbacks";
import { pool, sleep } from "./workload";

type Request = Pick<Delivery, "url" | "headers" | "body">;
interface Plan {
  deliveries: Request[];
  perSecond: number;
  parallel: number;
}

/**
 * Sends callbacks at a fixed rate from a child process and answers each one's
 * HTTP status (0: no answer). An attacker is not on the store's event loop:
 * sending from the drill process would delay the fault proxies and simulators
 * it hosts, and so every statement of the store, by the drill's own work.
 */
export function sendFromAnotherProcess(plan: Plan): Promise<number[]> {
  const child = fork(__filename, [], { execArgv: ["-r", "ts-node/register/transpile-only"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (answers) => resolve(answers as number[]));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`attacker exited with code ${String(code)} before answering`)));
    child.send(plan);
  });
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
}
