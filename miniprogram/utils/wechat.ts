import type { MerchantTransferConfirmation } from '../../typings/payout';
import { clientSupports, requireClientSupport } from './client-support';

/** What the borrower did with the subscribe prompt, per template id. */
export type SubscribeChoices = Record<string, string>;

/**
 * Asks for one-time notification permissions. Must run inside a tap handler; a refusal or failure
 * never blocks the action that triggered it, so this resolves either way.
 */
export function requestSubscriptions(tmplIds: string[]): Promise<SubscribeChoices> {
  return new Promise((resolve) => {
    if (tmplIds.length === 0 || !clientSupports('requestSubscribeMessage')) {
      resolve({});
      return;
    }
    wx.requestSubscribeMessage({
      tmplIds: tmplIds.slice(0, 5),
      success: (result) => resolve(result as unknown as SubscribeChoices),
      fail: () => resolve({}),
    });
  });
}

/**
 * Opens WeChat's receipt-confirmation page. Resolves when the page closed, whatever the borrower did:
 * the callback never says whether money arrived, so the caller must ask the server afterwards.
 * Throws CLIENT_TOO_OLD (before anything happens) on a WeChat without `wx.requestMerchantTransfer`.
 */
export function openMerchantTransfer(confirmation: MerchantTransferConfirmation): Promise<void> {
  requireClientSupport('requestMerchantTransfer', '确认收款');
  return new Promise((resolve) => {
    wx.requestMerchantTransfer({
      mchId: confirmation.mchId,
      appId: confirmation.appId,
      package: confirmation.package,
      openId: confirmation.openId,
      complete: () => resolve(),
    });
  });
}

/** A photo of the ID card's portrait side on the device (chosen from camera or album, compressed). */
export interface PickedImage {
  /** Local temp path to hand to the upload. */
  tempFilePath: string;
  /** `jpg` or `png`, for the uploaded file's name. */
  extension: 'jpg' | 'png';
}

/** Lets the borrower photograph the ID card; resolves undefined when they cancel. */
export function pickIdCardPhoto(): Promise<PickedImage | undefined> {
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      success: (chosen) => {
        const file = chosen.tempFiles[0];
        if (!file) {
          resolve(undefined);
          return;
        }
        const extension = file.tempFilePath.toLowerCase().endsWith('.png') ? 'png' : 'jpg';
        resolve({ tempFilePath: file.tempFilePath, extension });
      },
      fail: () => resolve(undefined),
    });
  });
}

/** `wx.requestFacialVerify` (base library 3.8.12, licensed lenders only): absent from the public typings. */
interface FacialVerifyApi {
  requestFacialVerify(options: { verifyId: string; success: () => void; fail: () => void }): void;
}

/**
 * Runs `wx.requestFacialVerify` for a session the server opened (getVerifyId). Resolves true when
 * it finished — which never says the face matched: only the server's queryVerifyInfo decides —
 * and false when the borrower cancelled or it failed. Throws CLIENT_TOO_OLD below base library 3.8.12.
 */
export function runFacialVerify(verifyId: string): Promise<boolean> {
  requireClientSupport('requestFacialVerify', '进行人脸核身');
  return new Promise((resolve) => {
    (wx as unknown as FacialVerifyApi).requestFacialVerify({
      verifyId,
      success: () => resolve(true),
      fail: () => resolve(false),
    });
  });
}

/**
 * Opens WeChat's payment sheet. Resolves when it closed, whatever happened: only the server's
 * answer afterwards says whether the repayment was received.
 */
export function openPayment(payment: {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}): Promise<void> {
  requireClientSupport('requestPayment', '支付还款');
  return new Promise((resolve) => {
    wx.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType as 'MD5',
      paySign: payment.paySign,
      complete: () => resolve(),
    });
  });
}
