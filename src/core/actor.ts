import type { GraphQLContext, Viewer } from "./context";

/** Who made an admin change, as the audit log records it. */
export interface Actor {
  userId: string | null;
  ip?: string | null;
}

export const actorOf = (ctx: GraphQLContext): Actor => ({
  userId: ctx.viewer.kind === "user" ? ctx.viewer.userId : null,
  ip: ctx.ip,
});

/** The member level whose prices a viewer sees; guests see RETAIL. */
export const levelOf = (viewer: Viewer): string => (viewer.kind === "user" ? viewer.levelCode : "RETAIL");
