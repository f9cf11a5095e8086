import { isAuthenticated, isPublic } from "../../core/permission-rules";

export const pointsPermissions = {
  Query: { myPoints: isAuthenticated },
  MyPoints: isPublic,
  PointMutationInfo: isPublic,
};
