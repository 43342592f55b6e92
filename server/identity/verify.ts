import { recordAudit } from '../audit';
import { StoreConflictError } from '../storage/doc-store';
import { accountClosedRefusal } from '../borrowers/apply-block';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { AppError } from '../runtime/app-error';
import type { IdentityStatus, IdentityVerifyRequest } from '../../typings/identity';
import { countVerificationAttempt } from './attempts';
import { checkClaim } from './claim';
import type { IdentityDeps } from './deps';
import type { CheckedClaim } from './claim';
import { buildIdentity } from './identity-record';
import { identityError } from './messages';
import { currentNotice, isConsentInForce } from './notice';
import { consentId, IDENTITY_COLLECTIONS, type IdentityConsentDoc } from './records';
import { identityStatus } from './status';
import { writeVerifiedIdentity } from './write-identity';

/** Audits a refused verification (no personal data: the code says why). */
async function auditRefusal(deps: IdentityDeps, openid: string, code: string): Promise<void> {
  await recordAudit(deps.store, {
    at: deps.clock.now(),
    actor: openid,
    actorType: 'borrower',
    event: 'identity.verify',
    subject: `borrower:${openid}`,
    outcome: 'refused',
    details: { verifier: deps.verifier.kind, code },
  });
}

/**
 * Verifies the caller's identity. Order matters: local checks (free, nothing stored) → consent →
 * daily attempt limit → the verifier's WeChat calls → one transaction writing everything. The
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
  const notice = currentNotice();
  const consent = await deps.store.get<IdentityConsentDoc>(
    IDENTITY_COLLECTIONS.consents,
    consentId(openid, notice.version),
  );
  if (!isConsentInForce(consent, notice)) throw identityError('CONSENT_REQUIRED');
  const borrower = await deps.store.get<BorrowerDoc & { [field: string]: unknown }>(
    IDENTITY_COLLECTIONS.borrowers,
    openid,
  );
  if (borrower?.identity) throw identityError('ALREADY_VERIFIED');
  const closed = accountClosedRefusal(borrower);
  if (closed) throw closed;
  await countVerificationAttempt(deps, openid);
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
