import type {
  ConsentRecordView,
  CorrectionRequestView,
  DeletionRequestView,
  IdentityConsentResult,
  IdentityCorrectionRequest,
  IdentityFaceStartRequest,
  IdentityFaceStartResult,
  IdentityProfile,
  IdentityStatus,
  IdentityVerifyRequest,
} from '../../typings/identity';
import { callAction } from './transport';

/** The borrower's own verification state (masked data, notice, verifier, policy). */
export function getIdentityStatus(): Promise<IdentityStatus> {
  return callAction<IdentityStatus>('identity', 'status');
}

/** Records consent to the sensitive-information notice the borrower was shown (version + hash from status). */
export function consentToNotice(notice: { version: string; sha256: string }): Promise<IdentityConsentResult> {
  return callAction<IdentityConsentResult>('identity', 'consent', {
    noticeVersion: notice.version,
    noticeHash: notice.sha256,
  });
}

/** Opens a face-verification session for the typed name and ID number (verifier `face`). */
export function startFaceVerification(request: IdentityFaceStartRequest): Promise<IdentityFaceStartResult> {
  return callAction<IdentityFaceStartResult>('identity', 'startFace', request);
}

/** Verifies the borrower; answers the new status with masked data only. */
export function verifyIdentity(request: IdentityVerifyRequest): Promise<IdentityStatus> {
  return callAction<IdentityStatus>('identity', 'verify', request);
}

/** 我的: masked identity, consents given and rights requests. */
export function getProfile(): Promise<IdentityProfile> {
  return callAction<IdentityProfile>('identity', 'profile');
}

/** Withdraws the consent to the notice in force (new applications stop until given again). */
export function withdrawConsent(noticeVersion: string): Promise<ConsentRecordView> {
  return callAction<ConsentRecordView>('identity', 'withdrawConsent', { noticeVersion });
}

/** Asks for the account to be deleted (an operator carries it out; records the law keeps are kept). */
export function requestDeletion(): Promise<DeletionRequestView> {
  return callAction<DeletionRequestView>('identity', 'requestDeletion');
}

/** Withdraws a pending deletion request. */
export function cancelDeletion(): Promise<DeletionRequestView> {
  return callAction<DeletionRequestView>('identity', 'cancelDeletion');
}

/** Asks an operator to correct a field of the verified identity. */
export function requestCorrection(request: IdentityCorrectionRequest): Promise<CorrectionRequestView> {
  return callAction<CorrectionRequestView>('identity', 'requestCorrection', request);
}
