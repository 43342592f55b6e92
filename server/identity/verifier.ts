import type { IdentityVerifierKind } from '../../typings/identity';

/** What the borrower claims, already validated and normalised; `openid` from the platform context. */
export interface IdentityClaim {
  openid: string;
  /** Canonical name (shared/person-name). */
  name: string;
  /** Canonical 18-character ID number (shared/idcard). */
  idNumber: string;
  /** `getPhoneNumber` button code. */
  phoneCode: string;
  /** Face verification `verify_result` (verifier `face`). */
  faceVerifyResult?: string;
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
  /** Throws the domain AppError when the request lacks this verifier's evidence (checked before any call). */
  requireEvidence(claim: IdentityClaim): void;
  /** Proves the claim or throws a domain AppError; calls WeChat, so it runs outside any transaction. */
  verify(claim: IdentityClaim): Promise<VerifiedContact>;
}
