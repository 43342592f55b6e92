import { StoreConflictError } from '../storage/doc-store';
import { AppError } from '../runtime/app-error';
import type { IdentityStatus, IdentityVerifyRequest } from '../../typings/identity';
import { countVerificationAttempt } from './attempts';
import { checkClaim } from './claim';
import type { IdentityDeps } from './deps';
import type { CheckedClaim } from './claim';
import { buildIdentity } from './identity-record';
import { identityError } from './messages';
import { requireReadyToVerify } from './readiness';
import { auditRefusal } from './refusal-audit';
import { identityStatus } from './status';
import { writeVerifiedIdentity } from './write-identity';

/**
 * Verifies the caller's identity. Order matters: local checks (free, nothing stored) → consent →
 * daily attempt limit (unless the verifier counted it when its session started) → the verifier's
 * WeChat calls → one transaction writing everything. The
 * duplicate-ID check comes only after the verifier passed, so nobody can probe which ID numbers
 * are registered without first proving they hold that identity. An uploaded ID-card photo serves
 * this one attempt: it is deleted from storage afterwards, whatever the outcome.
 */
export async function verifyIdentity(
  deps: IdentityDeps,
  openid: string,
  request: IdentityVerifyRequest,
): Promise<IdentityStatus> {
  const checked = checkClaim(deps, openid, request);
  try {
    return await verifyCheckedClaim(deps, openid, checked);
  } finally {
    if (checked.claim.idCardFileId) await discardPhoto(deps, checked.claim.idCardFileId);
  }
}

/** Deletes the attempt's photo; a failure is logged (without the fileID) and never changes the answer. */
async function discardPhoto(deps: IdentityDeps, fileId: string): Promise<void> {
  try {
    await deps.photos.remove(fileId);
  } catch (error) {
    const code = (error as { errCode?: unknown } | null)?.errCode ?? 'unknown';
    console.warn(`[identity] could not delete the ID-card photo (errCode ${String(code)})`);
  }
}

async function verifyCheckedClaim(
  deps: IdentityDeps,
  openid: string,
  checked: CheckedClaim,
): Promise<IdentityStatus> {
  await requireReadyToVerify(deps, openid);
  if (deps.verifier.attemptCountedAt === 'verify') await countVerificationAttempt(deps, openid);
  try {
    const contact = await deps.verifier.verify(checked.claim);
    const now = deps.clock.now();
    const identity = buildIdentity(deps.keys, checked, contact.phone, deps.verifier.kind, now);
    await deps.store.transact((tx) => writeVerifiedIdentity(tx, openid, identity, now));
  } catch (error) {
    if (error instanceof StoreConflictError) {
      await auditRefusal(deps, openid, 'TRY_AGAIN');
      throw identityError('TRY_AGAIN');
    }
    if (error instanceof AppError) await auditRefusal(deps, openid, error.code);
    throw error;
  }
  return identityStatus(deps, openid);
}
