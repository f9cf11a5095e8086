import { registerEnumType } from "type-graphql";

/** What a reseller API token may do; later modules guard their fields with hasScope(ApiScope.X). */
export enum ApiScope {
  ORDERS_READ = "ORDERS_READ",
  ORDERS_WRITE = "ORDERS_WRITE",
  CATALOG_READ = "CATALOG_READ",
  WALLET_READ = "WALLET_READ",
}

registerEnumType(ApiScope, { name: "ApiScope", description: "What a reseller API token may do" });
