import { hasRole, isPublic } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);
const verifier = hasRole(Role.CS_VERIFIER, Role.ADMIN);
const billing = hasRole(Role.BILLING, Role.ADMIN);

// uploadPaymentProof, orderPayments and simulatePayment are public: the service
// checks the owner or the tracking token, and refuses simulation outside sandbox mode.
export const paymentsPermissions = {
  Query: { paymentMethods: isPublic, orderPayments: isPublic, allPaymentMethods: admin, manualTransferQueue: verifier, paymentProofFile: verifier, refundTasks: billing },
  Mutation: {
    createPaymentMethod: admin,
    updatePaymentMethod: admin,
    simulatePayment: isPublic,
    uploadPaymentProof: isPublic,
    confirmManualTransfer: verifier,
    rejectManualTransfer: verifier,
    settleRefundTask: billing,
  },
  RefundTask: isPublic,
  PaymentMethodOption: isPublic,
  PaymentMethod: isPublic,
  Payment: isPublic,
  PaymentInstructions: isPublic,
  PaymentProof: isPublic,
  PaymentProofFile: isPublic,
  ManualTransferItem: isPublic,
  ManualTransferQueue: isPublic,
};
