import type { MerchantTransferConfirmation } from '../../typings/payout';

/** What the borrower did with the subscribe prompt, per template id. */
export type SubscribeChoices = Record<string, string>;

/**
 * Asks for one-time notification permissions. Must run inside a tap handler; a refusal or failure
 * never blocks the action that triggered it, so this resolves either way.
 */
export function requestSubscriptions(tmplIds: string[]): Promise<SubscribeChoices> {
  return new Promise((resolve) => {
    if (tmplIds.length === 0) {
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
 */
export function openMerchantTransfer(confirmation: MerchantTransferConfirmation): Promise<void> {
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

/** `wx.startFacialRecognitionVerify`: granted only to licensed lenders, so absent from the public typings. */
interface FaceVerifyApi {
  startFacialRecognitionVerify(options: {
    name: string;
    idCardNumber: string;
    checkAliveType: number;
    success: (result: { verifyResult?: string }) => void;
    fail: () => void;
  }): void;
}

/** Runs WeChat's face verification for the typed identity; resolves its `verifyResult`, or undefined when it did not finish. */
export function startFaceVerify(name: string, idCardNumber: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    (wx as unknown as FaceVerifyApi).startFacialRecognitionVerify({
      name,
      idCardNumber,
      checkAliveType: 2,
      success: (result) => resolve(result.verifyResult),
      fail: () => resolve(undefined),
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
