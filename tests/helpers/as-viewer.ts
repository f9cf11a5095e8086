import { graphql, type GraphQLSchema } from "graphql";
import type { RunningStore } from "../../src/boot";
import { compose } from "../../src/composition-root";
import { LoaderCache, type Viewer } from "../../src/core/context";

/** The store's real schema (resolvers, services and permissions) as the composition root builds it. */
export async function composedSchema(store: RunningStore): Promise<GraphQLSchema> {
  const composition = await compose(store.infra, { baseUrl: store.sandboxUrl ?? "", storeUrl: () => store.url ?? "" });
  return composition.schema;
}

/**
 * Runs an operation as a given viewer, skipping only the HTTP sign-in step
 * (identity's login is built in parallel). Permissions, validation,
 * resolvers and services all run for real.
 */
export async function execAs(schema: GraphQLSchema, viewer: Viewer, source: string, variableValues: Record<string, unknown> = {}) {
  const result = await graphql({
    schema,
    source,
    variableValues,
    contextValue: { requestId: "test", ip: "127.0.0.1", viewer, loaders: new LoaderCache() },
  });
  const code = result.errors?.[0]?.extensions?.code as string | undefined;
  return { data: result.data as Record<string, any> | null | undefined, errors: result.errors, code };
}
