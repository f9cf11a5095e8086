import http from "node:http";
import express, { type Router } from "express";
import type { Logger } from "../core/logger";

/** One provider simulator: it serves the provider's real paths under /<name>. */
export interface Simulator {
  name: string;
  router: Router;
  stop?(): Promise<void>;
}

/**
 * Hosts every provider simulator on one port (SANDBOX_PORT), e.g.
 * http://127.0.0.1:4100/digiflazz/v1/transaction. Only used in sandbox mode,
 * by the demo store and the tests; never in front of real money.
 */
export class SandboxServer {
  private readonly server: http.Server;

  constructor(
    private readonly simulators: Simulator[],
    private readonly logger: Logger,
  ) {
    const app = express();
    app.disable("x-powered-by");
    app.get("/", (_req, res) => res.json({ simulators: simulators.map((s) => `/${s.name}`) }));
    for (const simulator of simulators) app.use(`/${simulator.name}`, simulator.router);
    this.server = http.createServer(app);
  }

  async start(port: number, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    this.logger.info("sandbox providers listening", { url: `http://${host}:${actual}`, simulators: this.simulators.map((s) => s.name) });
    return actual;
  }

  async stop(): Promise<void> {
    await Promise.all(this.simulators.map((simulator) => simulator.stop?.()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
