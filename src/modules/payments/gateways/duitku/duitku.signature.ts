import { md5, sha256 } from "../../../../core/crypto";

/** Duitku API v2 signatures (../shared/providers/duitku.md §2); every value as sent or received. */

/** v2 inquiry: MD5(merchantCode + merchantOrderId + paymentAmount + apiKey). */
export const duitkuInquirySignature = (merchantCode: string, merchantOrderId: string, paymentAmount: string | number, apiKey: string) =>
  md5(`${merchantCode}${merchantOrderId}${paymentAmount}${apiKey}`);

/** transactionStatus: MD5(merchantCode + merchantOrderId + apiKey). */
export const duitkuStatusSignature = (merchantCode: string, merchantOrderId: string, apiKey: string) =>
  md5(`${merchantCode}${merchantOrderId}${apiKey}`);

/** Callback: MD5(merchantCode + amount + merchantOrderId + apiKey) — the amount comes BEFORE the order id. */
export const duitkuCallbackSignature = (merchantCode: string, amount: string, merchantOrderId: string, apiKey: string) =>
  md5(`${merchantCode}${amount}${merchantOrderId}${apiKey}`);

/** getpaymentmethod: SHA256(merchantCode + amount + datetime + apiKey), datetime as sent ("YYYY-MM-DD HH:mm:ss"). */
export const duitkuPaymentMethodsSignature = (merchantCode: string, amount: string | number, datetime: string, apiKey: string) =>
  sha256(`${merchantCode}${amount}${datetime}${apiKey}`);

/** POP header x-duitku-signature: SHA256(merchantCode + timestamp + apiKey), timestamp in ms. */
export const duitkuPopSignature = (merchantCode: string, timestamp: string | number, apiKey: string) =>
  sha256(`${merchantCode}${timestamp}${apiKey}`);
