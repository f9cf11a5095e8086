import WebSocket from "ws";
import { createClient, type Client } from "graphql-ws";

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation the way a storefront does. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: response.status, ...body };
}

/** The first error code of a response (or undefined). */
export const errorCode = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code as string | undefined;

/** A graphql-ws client on the store's /graphql; pass an API token or JWT as Authorization. */
export function wsClient(url: string, authorization?: string): Client {
  return createClient({
    url: `${url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { Authorization: `Bearer ${authorization}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}
