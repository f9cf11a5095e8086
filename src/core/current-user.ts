import type { GraphQLContext } from "./context";
import { unauthenticated } from "./errors";

/** The signed-in user's id; permissions already require sign-in, this keeps the types honest. */
export function currentUserId(ctx: GraphQLContext): string {
  if (ctx.viewer.kind !== "user") throw unauthenticated();
  return ctx.viewer.userId;
}

/** Who an admin change is attributed to in the audit log. */
export function actorOf(ctx: GraphQLContext): { actorId: string; ip: string } {
  return { actorId: currentUserId(ctx), ip: ctx.ip };
}
