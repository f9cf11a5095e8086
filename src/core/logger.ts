import winston from "winston";
import { currentScope } from "./request-context";

export type Logger = winston.Logger;

/** Adds the request or job id of the current async scope to every line. */
const scopeFormat = winston.format((info) => {
  const scope = currentScope();
  if (scope) {
    info.requestId ??= scope.requestId;
    if (scope.jobId) info.jobId ??= scope.jobId;
  }
  return info;
});

export function createLogger(options: { level: string; format: "json" | "pretty"; silent?: boolean }): Logger {
  const base = [winston.format.errors({ stack: true }), scopeFormat(), winston.format.timestamp()];
  const format =
    options.format === "json"
      ? winston.format.combine(...base, winston.format.json())
      : winston.format.combine(
          ...base,
          winston.format.colorize(),
          winston.format.printf(({ timestamp, level, message, stack, ...rest }) => {
            const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
            return `${String(timestamp)} ${level} ${String(message)}${extra}${stack ? `\n${String(stack)}` : ""}`;
          }),
        );
  return winston.createLogger({
    level: options.level,
    format,
    silent: options.silent,
    transports: [new winston.transports.Console({ stderrLevels: ["error"] })],
  });
}
