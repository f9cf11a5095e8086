import { hasRole } from "../../core/permission-rules";
import { Role } from "../identity/role";

export const auditPermissions = {
  Query: { activityLog: hasRole(Role.ADMIN) },
  ActivityLogPage: hasRole(Role.ADMIN),
  ActivityLogEntry: hasRole(Role.ADMIN),
};
