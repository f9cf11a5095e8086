import { graphql, type GraphQLSchema } from "graphql";
import { ulid } from "ulid";
import { LoaderCache, type GraphQLContext, type Viewer } from "../../src/core/context";
import { Role } from "../../src/modules/identity/role";
import type { GraphQLResponse } from "./graphql";

/**
 * Runs an operation on the store's real schema (permissions included) as a
 * given viewer. Until identity's login lands, this is how tests sign in: the
 * viewer is what the authenticator would have put in the context.
 */
export async function gqlAs<T = Record<string, any>>(
  schema: GraphQLSchema,
  viewer: Viewer,
  source: string,
  variableValues: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const contextValue: GraphQLContext = { requestId: ulid(), ip: "127.0.0.1", viewer, loaders: new LoaderCache() };
  const result = await graphql({ schema, source, variableValues, contextValue });
  return JSON.parse(JSON.stringify({ status: 200, ...result })) as GraphQLResponse<T>;
}

export const userViewer = (roles: Role[], userId = ulid()): Viewer => ({ kind: "user", userId, roles, levelCode: "RETAIL", via: "session" });

/**
 * Module settings (ORDER_*, PAYMENT_*, TRIPAY_*) are read from process.env when
 * the store is composed; this sets some for the duration of `fn` (a store start).
 */
export async function withEnv<T>(values: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
