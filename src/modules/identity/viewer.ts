import { unauthenticated, type AppError } from "../../core/errors";
import type { UserViewer } from "../../core/context";
import { Role } from "./role";
import type { User } from "./user.entity";

/** The viewer of a user loaded with level and roles. */
export function viewerOf(
  user: User,
  how: { via: "session"; sessionId: string } | { via: "api-token"; tokenId: string; scopes: readonly string[] },
): UserViewer {
  return {
    kind: "user",
    userId: user.id,
    roles: (user.roles ?? []).map((row) => row.role as Role),
    levelCode: user.level?.code ?? "RETAIL",
    customerType: user.customerType,
    ...how,
  };
}

/** A refused credential: UNAUTHENTICATED, answered with HTTP 401 when it fails in the request context. */
export function refusedCredential(message: string): AppError {
  const error = unauthenticated(message);
  error.extensions.http = { status: 401 };
  return error;
}
