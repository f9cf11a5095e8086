import { registerEnumType } from "type-graphql";

/** Staff and customer roles; a user may hold several. Only an admin grants them. */
export enum Role {
  ADMIN = "ADMIN",
  CS_VERIFIER = "CS_VERIFIER",
  CS_FULFILLER = "CS_FULFILLER",
  BILLING = "BILLING",
  SUPPORT = "SUPPORT",
  CUSTOMER = "CUSTOMER",
}

registerEnumType(Role, { name: "Role", description: "What a user may do" });

export const STAFF_ROLES: readonly Role[] = [Role.ADMIN, Role.CS_VERIFIER, Role.CS_FULFILLER, Role.BILLING, Role.SUPPORT];
