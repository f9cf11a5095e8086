import { hasRole, isPublic } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);
const fulfiller = hasRole(Role.ADMIN, Role.CS_FULFILLER);
const csAny = hasRole(Role.ADMIN, Role.CS_FULFILLER, Role.CS_VERIFIER);
const billing = hasRole(Role.ADMIN, Role.BILLING);

// Object types are reachable only through the fields above them, which carry the checks.
export const operationsPermissions = {
  Query: { queueOverview: fulfiller, failedJobs: admin, itemsAwaitingStaff: csAny, supplierBalance: billing },
  Mutation: { retryJob: admin, retryOrderItem: fulfiller, resolveOrderItem: fulfiller },
  QueueCounts: isPublic,
  FailedJob: isPublic,
  ItemAwaitingStaff: isPublic,
  SupplierBalance: isPublic,
};
