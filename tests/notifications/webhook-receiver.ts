import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  /** The exact bytes that arrived. */
  raw: Buffer;
  at: number;
}

/**
 * A real HTTP receiver standing in for a reseller's system: it records every
 * POST and answers with the next scripted status (200 once the script is used up).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private script: number[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.received.push({ headers: req.headers, raw: Buffer.concat(chunks), at: Date.now() });
      const status = this.script.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "not now");
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/lapak`;
  }

  /** The statuses the next POSTs get, in order. */
  answer(...statuses: number[]): void {
    this.script = statuses;
  }

  for(deliveryId: string): ReceivedWebhook[] {
    return this.received.filter((hit) => hit.headers["x-lapak-delivery"] === deliveryId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
