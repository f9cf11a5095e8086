import { isAuthenticated, isPublic, hasRole } from "../../core/permission-rules";
import { Role } from "../identity/role";

const walletStaff = hasRole(Role.ADMIN, Role.BILLING);

// Object types are reachable only through the fields above them, which carry the checks.
export const walletPermissions = {
  Query: {
    myWallet: isAuthenticated,
    myWalletMutations: isAuthenticated,
    userWallet: walletStaff,
    userWalletMutations: walletStaff,
  },
  Mutation: {
    adjustWalletBalance: walletStaff,
    setCashbackMode: walletStaff,
  },
  WalletInfo: isPublic,
  BalanceMutationInfo: isPublic,
  BalanceMutationPage: isPublic,
};
