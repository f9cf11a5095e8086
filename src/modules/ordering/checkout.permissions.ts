import { and, rule } from "graphql-shield";
import type { GraphQLContext } from "../../core/context";
import { forbidden } from "../../core/errors";
import { isAuthenticated, isPublic } from "../../core/permission-rules";
import { ApiScope } from "../identity/scopes";

/** Guests and signed-in sessions may buy; a reseller API token needs the ORDERS_WRITE scope. */
const canBuy = rule("checkout:canBuy", { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user" || ctx.viewer.via !== "api-token") return true;
  return ctx.viewer.scopes?.includes(ApiScope.ORDERS_WRITE) ? true : forbidden(`This API token lacks the "${ApiScope.ORDERS_WRITE}" scope`);
});

export const checkoutPermissions = {
  Mutation: { checkout: canBuy, payOrder: canBuy, topUpWallet: and(isAuthenticated, canBuy) },
  CheckoutResult: isPublic,
};
