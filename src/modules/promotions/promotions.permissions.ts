import { isAuthenticated, isPublic, hasRole } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);

// Object types are reachable only through the fields above them, which carry the checks.
export const promotionsPermissions = {
  Query: {
    myVouchers: isAuthenticated,
    vouchers: admin,
    voucher: admin,
  },
  Mutation: {
    createVoucher: admin,
    updateVoucher: admin,
    deleteVoucher: admin,
  },
  VoucherInfo: isPublic,
  VoucherPage: isPublic,
  MemberVoucherInfo: isPublic,
};
