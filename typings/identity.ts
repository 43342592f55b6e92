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

/** An ID-card photo for the `ocr_phone` verifier: base64 JPEG or PNG under 2 MB. */
export interface IdCardImageInput {
  contentType: 'image/jpeg' | 'image/png';
  base64: string;
}

/** `identity` action `startFace` (verifier `face`): opens a face-verification session for this name and number. */
export interface IdentityFaceStartRequest {
  name: string;
  idNumber: string;
}

/** The session the page hands to `wx.requestFacialVerify`. */
export interface IdentityFaceStartResult {
  /** Pass to `wx.requestFacialVerify({ verifyId })`, then to `verify` as `faceVerifyId`. */
  verifyId: string;
  /** Face verification must be run and submitted before this time (epoch ms). */
  expiresAt: number;
}

/** `identity` action `verify`. */
export interface IdentityVerifyRequest {
  name: string;
  idNumber: string;
  /** Code from the `getPhoneNumber` button (single use, 5 minutes). */
  phoneCode: string;
  /** The `startFace` session's verifyId, after `wx.requestFacialVerify` finished (verifier `face`). */
  faceVerifyId?: string;
  /** Front side of the ID card (verifier `ocr_phone`). */
  idCardImage?: IdCardImageInput;
}
