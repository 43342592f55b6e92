import type {
  IdentityConsentResult,
  IdentityFaceStartRequest,
  IdentityFaceStartResult,
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
