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
  /** Why new applications are refused because of the borrower's own rights requests; null when they are not. */
  applyBlock: ApplyBlock | null;
  /** Cloud-storage folder (no trailing /) the caller uploads the ID-card photo into: their own, unguessable by others. */
  idCardPhotoDir: string;
}

/** A rights request that stops new applications: a withdrawn consent, a pending account deletion or a closed account. */
export type ApplyBlock = 'consent_withdrawn' | 'deletion_requested' | 'account_closed';

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
  /**
   * fileID of the ID card's front side (verifier `ocr_phone`), uploaded by the caller with
   * `wx.cloud.uploadFile` into `idCardPhotoDir`; the image itself never travels in the call.
   */
  idCardFileId?: string;
}

/** Which consent a record is about: the separate notice for sensitive personal information, or the credit-inquiry authorisation. */
export type ConsentKind = 'sensitive_info' | 'credit_inquiry';

/** One consent the borrower gave, as 我的 shows it. */
export interface ConsentRecordView {
  kind: ConsentKind;
  /** The notice's title, e.g. 《敏感个人信息处理单独告知》. */
  title: string;
  version: string;
  consentedAt: number;
  /** When the borrower withdrew it; null while in force. */
  withdrawnAt: number | null;
  /** True for the version in force now (the one that can be withdrawn or given again). */
  current: boolean;
}

/** Where a rights request stands: recorded, done by an operator, refused with a reason, or withdrawn by the borrower. */
export type RightsRequestState = 'received' | 'completed' | 'refused' | 'cancelled';

/** The borrower's request to delete the account. */
export interface DeletionRequestView {
  state: RightsRequestState;
  requestedAt: number;
  /** The last change (cancelled, completed …). */
  updatedAt: number;
  /** Once completed: the day (`YYYY-MM-DD`, China) until which the records the law makes us keep are retained. */
  retainedUntil?: string;
}

/** A field of the verified identity a borrower may ask to have corrected. */
export type CorrectableField = 'name' | 'idNumber' | 'phone';

/** A correction request as the borrower sees it (never the submitted text). */
export interface CorrectionRequestView {
  field: CorrectableField;
  state: RightsRequestState;
  requestedAt: number;
  /** Once an operator answered: when, why (catalogue code) and whether the held field was changed. */
  outcome?: CorrectionOutcome;
}

/** How an operator answered a correction request. */
export interface CorrectionOutcome {
  resolvedAt: number;
  reasonCode: string;
  /** `applied`: the field we hold now says what the borrower asked; `reverify`: recorded, the borrower verifies again; `none`: refused. */
  effect: 'applied' | 'reverify' | 'none';
}

/** `identity` action `profile`: 我的 — masked personal information, consents and the rights requests. */
export interface IdentityProfile {
  /** Masked identity once verified; null before. */
  identity: IdentityStatus['identity'] | null;
  /** Every consent given, newest first. */
  consents: ConsentRecordView[];
  /** The account-deletion request, or null when none was made. */
  deletion: DeletionRequestView | null;
  /** Correction requests, one per field at most (the latest). */
  corrections: CorrectionRequestView[];
  /** The notice in force (to consent again after a withdrawal) and whether the borrower's consent to it stands. */
  notice: { version: string; sha256: string; consented: boolean };
  /** Why new applications are refused because of the borrower's own requests; null when they are not. */
  applyBlock: ApplyBlock | null;
}

/** `identity` action `withdrawConsent`: the notice version to withdraw (from `profile`). */
export interface IdentityWithdrawConsentRequest {
  noticeVersion: string;
}

/** `identity` action `requestCorrection`: which field is wrong and what it should say (encrypted at rest). */
export interface IdentityCorrectionRequest {
  field: CorrectableField;
  detail: string;
}
