/**
 * Merchant-side WeChat Pay APIv3 library for 商家转账 (merchant transfer). See README.md in this
 * folder for the configuration variables and the exactly-once rules the payout code must follow.
 */
export { wechatPayConfigFromEnv, type WechatPayConfig, type WechatPayVerificationKey } from './config';
export { WechatPayError, type WechatPayErrorCode } from './errors';
export { WechatPayKeyring } from './keyring';
export {
  buildAuthorization,
  newNonce,
  requestSigningMessage,
  type MerchantSigner,
  type SignableRequest,
} from './request-signature';
export {
  PROBE_SIGNATURE_PREFIX,
  SIGNATURE_TOLERANCE_SECONDS,
  readSignatureHeaders,
  verifyWechatpaySignature,
  type SignedHeaders,
} from './response-signature';
export { decryptResource, type EncryptedResource } from './resource-cipher';
export { encryptSensitiveField } from './sensitive-field';
export {
  MIN_TRANSFER_FEN,
  NAME_REQUIRED_FROM_FEN,
  OUT_BILL_NO_PATTERN,
  checkCreateTransferInput,
  isAcceptableNotifyUrl,
} from './transfer-input';
export {
  WechatPayTransferClient,
  type TransferClientOptions,
  type VerifiedResponse,
} from './transfer-client';
export {
  TRANSFER_FINISHED_EVENT,
  notificationFailureBody,
  rawBodyOfHttpEvent,
  transferNoticeMismatches,
  verifyTransferNotification,
  type ExpectedTransfer,
  type VerifiedTransferNotification,
} from './transfer-notification';
export * from './transfer-types';
