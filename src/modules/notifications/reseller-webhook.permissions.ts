import { rule } from "graphql-shield";
import type { GraphQLContext } from "../../core/context";
import { forbidden, unauthenticated } from "../../core/errors";
import { hasRole, isPublic } from "../../core/permission-rules";
import { Role } from "../identity/role";

/** Resellers are the users on the RESELLER member level (the service checks customer_type too). */
export const isReseller = rule("isReseller", { cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user") return unauthenticated();
  return ctx.viewer.levelCode === "RESELLER" ? true : forbidden("Webhooks are for reseller accounts");
});

// Object types are reachable only through the fields above them, which carry the checks.
export const resellerWebhookPermissions = {
  Query: { myWebhookEndpoint: isReseller, myWebhookDeliveries: isReseller, userWebhookDeliveries: hasRole(Role.ADMIN) },
  Mutation: { setWebhookEndpoint: isReseller, rotateWebhookSecret: isReseller, resendWebhookDelivery: isReseller },
  WebhookEndpointInfo: isPublic,
  WebhookEndpointSetup: isPublic,
  WebhookSecret: isPublic,
  WebhookDeliveryInfo: isPublic,
  WebhookDeliveryPage: isPublic,
};
