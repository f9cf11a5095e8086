import { Writable } from "node:stream";
import winston from "winston";
import type { Logger } from "../../src/core/logger";

/** A real winston logger whose lines are kept for the test to read. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: winston.createLogger({ level: "info", format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] }), lines };
}
