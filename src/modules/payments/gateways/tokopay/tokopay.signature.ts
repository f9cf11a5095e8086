import { md5 } from "../../../../core/crypto";

/**
 * Tokopay signatures (../shared/providers/tokopay.md §2): lowercase MD5 with
 * COLON separators. They cover ids only — never the amount or the status.
 */

/** Advanced order and webhook: md5(merchant_id:secret:reff_id). */
export const tokopayOrderSignature = (merchantId: string, secret: string, reffId: string) =>
  md5(`${merchantId}:${secret}:${reffId}`);

/** Account info and withdrawal: md5(merchant_id:secret). */
export const tokopayMerchantSignature = (merchantId: string, secret: string) => md5(`${merchantId}:${secret}`);
