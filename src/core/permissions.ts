import { GraphQLError, type GraphQLSchema } from "graphql";
import { deny, shield, type IRules } from "graphql-shield";
import { applyMiddleware } from "graphql-middleware";

/** A graphql-shield rule (allow, deny, rule(), and(), ...). */
export type ShieldRule = NonNullable<NonNullable<Parameters<typeof shield>[1]>["fallbackRule"]>;

export type PermissionMap = Record<string, ShieldRule | Record<string, ShieldRule>>;

/** Merges each module's permission map; two modules naming the same field is a wiring bug. */
export function mergePermissions(maps: PermissionMap[]): PermissionMap {
  const merged: Record<string, ShieldRule | Record<string, ShieldRule>> = {};
  for (const map of maps) {
    for (const [type, rules] of Object.entries(map)) {
      const existing = merged[type];
      if (existing === undefined) {
        merged[type] = rules;
      } else if (isFieldMap(existing) && isFieldMap(rules)) {
        for (const field of Object.keys(rules)) {
          if (field in existing) throw new Error(`permission for ${type}.${field} is declared twice`);
        }
        merged[type] = { ...existing, ...rules };
      } else {
        throw new Error(`permission for type ${type} is declared twice`);
      }
    }
  }
  return merged;
}

function isFieldMap(value: unknown): value is Record<string, ShieldRule> {
  return typeof value === "object" && value !== null && value.constructor === Object;
}

/** Deny by default: a field or type with no rule is FORBIDDEN. */
export function applyPermissions(schema: GraphQLSchema, permissions: PermissionMap): GraphQLSchema {
  const middleware = shield(permissions as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => new GraphQLError("Forbidden", { extensions: { code: "FORBIDDEN" } }),
  });
  return applyMiddleware(schema, middleware);
}
