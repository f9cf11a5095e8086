import { isPublic } from "../../core/permission-rules";

export const systemPermissions = {
  Query: { serverInfo: isPublic },
  ServerInfo: isPublic,
};
