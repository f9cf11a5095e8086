import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "./logger";

/** The error codes a client can act on; every error a client sees carries one. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  /** a provider (supplier, gateway) did not answer usably; nothing changed, try again later */
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const badInput = (message: string, extra: Record<string, unknown> = {}) =>
  new AppError("BAD_USER_INPUT", message, extra);
export const unauthenticated = (message = "Sign in to do this") => new AppError("UNAUTHENTICATED", message);
export const forbidden = (message = "Forbidden") => new AppError("FORBIDDEN", message);
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string, extra: Record<string, unknown> = {}) =>
  new AppError("CONFLICT", message, extra);
export const serviceUnavailable = (message: string, extra: Record<string, unknown> = {}) =>
  new AppError("SERVICE_UNAVAILABLE", message, extra);
export const rateLimited = (retryAfterSeconds: number, message = "Too many requests, try again later") =>
  new AppError("RATE_LIMITED", message, { retryAfterSeconds });

/**
 * Builds Apollo's formatError: errors the code raised on purpose pass through
 * with their code; anything else is logged with its stack and reaches the
 * client only as INTERNAL_SERVER_ERROR with the request id.
 */
export function createErrorFormatter(logger: Logger, requestIdOf: () => string | undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError && !isInternal(original, formatted)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: clientCode(formatted, extensions.code) } };
    }
    return maskInternalError(logger, original, requestIdOf(), formatted.path);
  };
}

/**
 * An input-object field the type lacks (e.g. a client-sent price) is bad user
 * input whether it comes in variables (Apollo: BAD_USER_INPUT) or inline in
 * the document (graphql-js validation): answer both the same way.
 */
function clientCode(formatted: GraphQLFormattedError, code: unknown): unknown {
  if (code === "GRAPHQL_VALIDATION_FAILED" && /^Field "[^"]+" is not defined by type "[^"]+"\./.test(formatted.message)) return "BAD_USER_INPUT";
  return code ?? "BAD_REQUEST";
}

function isInternal(error: GraphQLError, formatted: GraphQLFormattedError): boolean {
  // A GraphQLError wrapping another error (thrown inside a resolver) is internal
  // unless the code gave it a deliberate code.
  const code = formatted.extensions?.code;
  return code === "INTERNAL_SERVER_ERROR" || (code === undefined && error.originalError != null);
}

export function maskInternalError(
  logger: Logger,
  error: unknown,
  requestId: string | undefined,
  path?: readonly (string | number)[],
): GraphQLFormattedError {
  const err = error instanceof Error ? error : new Error(String(error));
  logger.error("internal error", { error: err.message, stack: err.stack, path, requestId });
  return {
    message: "Internal server error",
    path,
    extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
  };
}
