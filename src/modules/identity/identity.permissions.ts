import { rule } from "graphql-shield";
import type { GraphQLContext } from "../../core/context";
import { forbidden, unauthenticated } from "../../core/errors";
import { hasRole, isAuthenticated, isPublic } from "../../core/permission-rules";
import { OWN_ACCOUNT } from "./identity.types";
import { Role } from "./role";

/** Staff who may read any account. */
const ACCOUNT_READERS: readonly Role[] = [Role.ADMIN, Role.SUPPORT];

const isAccountReader = (ctx: GraphQLContext) =>
  ctx.viewer.kind === "user" && ctx.viewer.roles.some((role) => ACCOUNT_READERS.includes(role));

/** Signed in with a password (not an API token): sessions, passwords and tokens are managed this way only. */
export const isSessionUser = rule({ cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user") return unauthenticated();
  return ctx.viewer.via === "session" ? true : forbidden("Sign in with your password to do this");
});

/** An approved reseller, signed in with a password. */
export const isReseller = rule({ cache: "contextual" })((_parent, _args, ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user") return unauthenticated();
  if (ctx.viewer.via !== "session") return forbidden("Sign in with your password to do this");
  return ctx.viewer.customerType === "RESELLER" ? true : forbidden("Only approved resellers can do this");
});

/** `user(id:)`: your own account, or any for account readers. */
export const isSelfOrAccountReader = rule({ cache: "strict" })((_parent, args: { id?: string }, ctx: GraphQLContext) => {
  if (ctx.viewer.kind !== "user") return unauthenticated();
  return args.id === ctx.viewer.userId || isAccountReader(ctx) ? true : forbidden();
});

/** Owner-of-this-object: an Account is readable by its owner and by account readers. */
export const ownsAccount = rule({ cache: "strict" })((parent: { id?: string; [OWN_ACCOUNT]?: boolean }, _args, ctx: GraphQLContext) => {
  if (parent[OWN_ACCOUNT]) return true; // handed to its owner (e.g. just signed in)
  if (ctx.viewer.kind !== "user") return unauthenticated();
  return parent.id === ctx.viewer.userId || isAccountReader(ctx) ? true : forbidden();
});

const admin = hasRole(Role.ADMIN);

export const identityPermissions = {
  Query: {
    me: isAuthenticated,
    user: isSelfOrAccountReader,
    users: hasRole(...ACCOUNT_READERS),
    memberLevels: isPublic,
    myApiTokens: isSessionUser,
  },
  Mutation: {
    register: isPublic,
    login: isPublic,
    refreshSession: isPublic,
    requestPasswordReset: isPublic,
    resetPassword: isPublic,
    logout: isSessionUser,
    changePassword: isSessionUser,
    updateProfile: isAuthenticated,
    createApiToken: isReseller,
    revokeApiToken: isSessionUser,
    setUserRoles: admin,
    setUserLevel: admin,
    approveReseller: admin,
    suspendUser: admin,
    reactivateUser: admin,
    setUserApiRateLimit: admin,
  },
  Subscription: {
    accountEvents: isAuthenticated,
  },
  Account: ownsAccount,
  MemberLevelInfo: isPublic,
  // Only ever returned to the caller who just proved their password or refresh token.
  AuthPayload: isPublic,
  UserPage: hasRole(...ACCOUNT_READERS),
  ApiTokenInfo: isSessionUser,
  CreatedApiToken: isReseller,
  AccountEvent: isAuthenticated,
};
