import { allow, rule } from "graphql-shield";
import type { Role } from "../modules/identity/role";
import type { GraphQLContext } from "./context";
import { forbidden, unauthenticated } from "./errors";

// Building blocks for every module's permission map (graphql-shield).
// A rule answers true, or returns the error the client should see.

export const isPublic = allow;

export const isAuthenticated = rule({ cache: "contextual" })((_parent, _args, ctx: GraphQLContext) =>
  ctx.viewer.kind === "user" ? true : unauthenticated(),
);

// graphql-shield refuses two different rule objects with the same name, so
// every module asking for the same roles gets the same rule.
const roleRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();

export const hasRole = (...roles: Role[]) => {
  const name = `hasRole:${roles.join(",")}`;
  let roleRule = roleRules.get(name);
  if (!roleRule) {
    roleRule = rule(name, { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
      if (ctx.viewer.kind !== "user") return unauthenticated();
      const held = ctx.viewer.roles;
      return roles.some((role) => held.includes(role)) ? true : forbidden();
    });
    roleRules.set(name, roleRule);
  }
  return roleRule;
};

/** Reseller API tokens carry scopes; a signed-in session is not limited by them. */
export const hasScope = (scope: string) =>
  rule(`hasScope:${scope}`, { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
    if (ctx.viewer.kind !== "user") return unauthenticated();
    if (ctx.viewer.via !== "api-token") return true;
    return ctx.viewer.scopes?.includes(scope) ? true : forbidden(`This API token lacks the "${scope}" scope`);
  });
