import { allow, rule } from "graphql-shield";
import type { Role } from "../modules/identity/role";
import type { GraphQLContext } from "./context";
import { forbidden, unauthenticated } from "./errors";
import type { ShieldRule } from "./permissions";

// Building blocks for every module's permission map (graphql-shield).
// A rule answers true, or returns the error the client should see.

export const isPublic = allow;

export const isAuthenticated = rule({ cache: "contextual" })((_parent, _args, ctx: GraphQLContext) =>
  ctx.viewer.kind === "user" ? true : unauthenticated(),
);

// graphql-shield refuses two different rule objects with one name ("multiple
// definitions"), so every module asking for the same role set gets the same rule.
const named = new Map<string, ReturnType<ReturnType<typeof rule>>>();
function once(name: string, build: () => ReturnType<ReturnType<typeof rule>>) {
  let found = named.get(name);
  if (!found) named.set(name, (found = build()));
  return found;
}

export const hasRole = (...roles: Role[]) =>
  once(`hasRole:${[...roles].sort().join(",")}`, () =>
    rule(`hasRole:${[...roles].sort().join(",")}`, { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
      if (ctx.viewer.kind !== "user") return unauthenticated();
      const held = ctx.viewer.roles;
      return roles.some((role) => held.includes(role)) ? true : forbidden();
    }),
  );

/** Reseller API tokens carry scopes; a signed-in session is not limited by them. */
export const hasScope = (scope: string) =>
  once(`hasScope:${scope}`, () =>
    rule(`hasScope:${scope}`, { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
      if (ctx.viewer.kind !== "user") return unauthenticated();
      if (ctx.viewer.via !== "api-token") return true;
      return ctx.viewer.scopes?.includes(scope) ? true : forbidden(`This API token lacks the "${scope}" scope`);
    }),
  );
