import { AppError } from '../runtime/app-error';
import type { IdentityFaceStartRequest, IdentityFaceStartResult } from '../../typings/identity';
import { countVerificationAttempt } from './attempts';
import { checkPerson } from './claim';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { requireReadyToVerify } from './readiness';
import { auditRefusal } from './refusal-audit';

/**
 * Opens a face-verification session for the caller's typed name and ID number (getVerifyId). Same
 * order as verify: local checks → consent and not yet verified → the daily attempt (face spends it
 * here, where WeChat's paid session starts) → WeChat. Answers the verifyId for `wx.requestFacialVerify`.
 */
export async function startFaceVerification(
  deps: IdentityDeps,
  openid: string,
  request: IdentityFaceStartRequest,
): Promise<IdentityFaceStartResult> {
  const { name, idNumber } = checkPerson(deps, request);
  const start = deps.verifier.startSession?.bind(deps.verifier);
  if (!start) throw identityError('FACE_NOT_OFFERED');
  await requireReadyToVerify(deps, openid);
  await countVerificationAttempt(deps, openid);
  try {
    return await start(openid, { name, idNumber });
  } catch (error) {
    if (error instanceof AppError) await auditRefusal(deps, openid, error.code);
    throw error;
  }
}
