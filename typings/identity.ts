import type { IdentityPolicy } from '../shared/identity-policy';

/** Which verifier the lender runs (configuration, not the borrower's choice). */
export type IdentityVerifierKind = 'face' | 'ocr_phone';

/** `identity` action `status`: no input. */
export type IdentityStatusRequest = Record<string, never>;

/** What the borrower may see about their own verification: masked data only. */
export interface IdentityStatus {
  verified: boolean;
  /** Present once verified. */
  identity?: {
    maskedName: string;
    maskedIdNumber: string;
    maskedPhone: string;
    documentType: 'resident' | 'hmt_permit';
    verifier: IdentityVerifierKind;
    verifiedAt: number;
  };
  /** The consent the borrower must give (or has given) before verifying. */
  notice: { version: string; sha256: string; consented: boolean };
  /** How this lender verifies, so the page shows the right steps. */
  verifier: IdentityVerifierKind;
  /** The acceptance policy, so the page checks a typed number the way the server will. */
  policy: IdentityPolicy;
  /** Verification attempts left today (resets at midnight China time). */
  attemptsLeftToday: number;
  /** Cloud-storage folder (no trailing /) the caller uploads the ID-card photo into: their own, unguessable by others. */
  idCardPhotoDir: string;
}

/** `identity` action `consent`: the notice version and hash the borrower saw (from `status`). */
export interface IdentityConsentRequest {
  noticeVersion: string;
  noticeHash: string;
}

/** The recorded consent. */
export interface IdentityConsentResult {
  noticeVersion: string;
  consentedAt: number;
}

/** `identity` action `verify`. */
export interface IdentityVerifyRequest {
  name: string;
  idNumber: string;
  /** Code from the `getPhoneNumber` button (single use, 5 minutes). */
  phoneCode: string;
  /** `verify_result` of `wx.startFacialRecognitionVerify` (verifier `face`). */
  faceVerifyResult?: string;
  /**
   * fileID of the ID card's front side (verifier `ocr_phone`), uploaded by the caller with
   * `wx.cloud.uploadFile` into `idCardPhotoDir`; the image itself never travels in the call.
   */
  idCardFileId?: string;
}
