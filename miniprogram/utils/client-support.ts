import { ServiceError } from '../services/errors';

/** WeChat APIs newer than the oldest client we serve, with the base library that brought each. */
export const NEWER_APIS = {
  requestFacialVerify: '3.8.12',
  requestMerchantTransfer: '3.3.0',
  requestPayment: '1.0.0',
  requestSubscribeMessage: '2.4.4',
  onNeedPrivacyAuthorization: '2.32.3',
} as const;

/** One of the guarded APIs. */
export type NewerApi = keyof typeof NEWER_APIS;

/** Whether this WeChat client has `api` (`wx.canIUse`, itself present since base library 1.1.1). */
export function clientSupports(api: NewerApi): boolean {
  return typeof wx.canIUse === 'function' && wx.canIUse(api);
}

/** What the borrower reads when their WeChat is too old for `feature` (e.g. 进行人脸核身). */
export function clientTooOldMessage(feature: string): string {
  return `当前微信版本过低，无法${feature}，请将微信升级到最新版本后重试`;
}

/** Throws CLIENT_TOO_OLD, with the message above, when `api` is missing. */
export function requireClientSupport(api: NewerApi, feature: string): void {
  if (!clientSupports(api)) throw new ServiceError('CLIENT_TOO_OLD', clientTooOldMessage(feature));
}
