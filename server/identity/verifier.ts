import type { IdentityFaceStartResult, IdentityVerifierKind } from '../../typings/identity';

/** A validated, canonical name and ID number (before any evidence). */
export interface CheckedPerson {
  /** Canonical name (shared/person-name). */
  name: string;
  /** Canonical 18-character ID number (shared/idcard). */
  idNumber: string;
}

/** What the borrower claims, already validated and normalised; `openid` from the platform context. */
export interface IdentityClaim extends CheckedPerson {
  openid: string;
  /** `getPhoneNumber` button code. */
  phoneCode: string;
  /** verifyId of the face-verification session the borrower ran (verifier `face`). */
  faceVerifyId?: string;
  /** fileID of the caller's own uploaded ID-card photo (verifier `ocr_phone`), ownership already checked. */
  idCardFileId?: string;
}

/** What a passed verification established beyond the claim itself. */
export interface VerifiedContact {
  /** Phone number WeChat vouched for (mainland numbers without +86). */
  phone: string;
}

/** One way of proving that the caller is the person named by the claim. */
export interface IdentityVerifier {
  readonly kind: IdentityVerifierKind;
  /**
   * Which step spends WeChat's paid verification and so counts against the daily attempts:
   * `verify` (one call does everything) or `start` (a session is opened first, e.g. getVerifyId).
   */
  readonly attemptCountedAt: 'verify' | 'start';
  /** Throws the domain AppError when the request lacks this verifier's evidence (checked before any call). */
  requireEvidence(claim: IdentityClaim): void;
  /** Opens the session the page completes on the device (verifiers with `attemptCountedAt: 'start'`). */
  startSession?(openid: string, person: CheckedPerson): Promise<IdentityFaceStartResult>;
  /** Proves the claim or throws a domain AppError; calls WeChat, so it runs outside any transaction. */
  verify(claim: IdentityClaim): Promise<VerifiedContact>;
}
