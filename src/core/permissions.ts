import { GraphQLError, type GraphQLSchema } from "graphql";
import { allow, deny, shield, type IRules } from "graphql-shield";
import { applyMiddleware, type IMiddlewareTypeMap } from "graphql-middleware";

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

/** The rule graphql-shield applies to a field: its own, else its type's "*" or type-wide rule, else deny. */
export function ruleFor(permissions: PermissionMap, type: string, field: string): ShieldRule {
  const rules = permissions[type];
  if (rules === undefined) return deny;
  if (!isFieldMap(rules)) return rules;
  return rules[field] ?? rules["*"] ?? deny;
}

/**
 * Deny by default: a field or type with no rule is FORBIDDEN. graphql-shield
 * wraps every field in an async middleware, even `allow` ones; a listing page
 * has ~950 such fields, so public fields are left unwrapped (nothing to check).
 */
export function applyPermissions(schema: GraphQLSchema, permissions: PermissionMap): GraphQLSchema {
  const middleware = shield(permissions as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => new GraphQLError("Forbidden", { extensions: { code: "FORBIDDEN" } }),
  }).generate(schema) as IMiddlewareTypeMap;
  for (const [type, fields] of Object.entries(middleware) as [string, Record<string, unknown>][]) {
    for (const field of Object.keys(fields)) if (ruleFor(permissions, type, field) === allow) delete fields[field];
  }
  return applyMiddleware(schema, middleware);
}
