import type { Caller } from '../runtime/caller';
import type { IdentityConsentRequest, IdentityConsentResult } from '../../typings/identity';
import { setBorrowerRights } from './borrower-rights';
import { auditBorrowerAct } from './borrower-audit';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { currentNotice } from './notice';
import { consentId, IDENTITY_COLLECTIONS, type IdentityConsentDoc } from './records';

/**
 * Records the separate consent to process sensitive personal information (PIPL art. 29) for the
 * notice version and text hash the borrower was shown, with time and client IP from the platform.
 * Consenting again to the same notice keeps the first record; after a withdrawal it is given anew
 * (the earlier period kept in `history`) and new applications are allowed again.
 */
export async function recordConsent(
  deps: IdentityDeps,
  caller: Caller & { openid: string },
  request: IdentityConsentRequest,
): Promise<IdentityConsentResult> {
  const notice = currentNotice();
  if (request.noticeVersion !== notice.version || request.noticeHash.toLowerCase() !== notice.sha256)
    throw identityError('CONSENT_NOTICE_OUTDATED');
  const now = deps.clock.now();
  const id = consentId(caller.openid, notice.version);
  return deps.store.transact(async (tx) => {
    const existing = await tx.get<IdentityConsentDoc>(IDENTITY_COLLECTIONS.consents, id);
    if (existing && !existing.withdrawnAt)
      return { noticeVersion: existing.noticeVersion, consentedAt: existing.consentedAt };
    const doc: IdentityConsentDoc = {
      _id: id,
      openid: caller.openid,
      noticeVersion: notice.version,
      noticeHash: notice.sha256,
      consentedAt: now,
      clientIp: caller.clientIp ?? null,
      ...(existing?.withdrawnAt && {
        withdrawnAt: null,
        history: [
          ...(existing.history ?? []),
          { consentedAt: existing.consentedAt, withdrawnAt: existing.withdrawnAt },
        ],
      }),
    };
    await tx.put(IDENTITY_COLLECTIONS.consents, doc);
    // Given again after a withdrawal: new applications are allowed again.
    if (existing?.withdrawnAt) await setBorrowerRights(tx, caller.openid, { consentWithdrawnAt: null }, now);
    await auditBorrowerAct(
      tx,
      caller.openid,
      'identity.consent',
      { noticeVersion: notice.version, noticeHash: notice.sha256, again: Boolean(existing) },
      now,
    );
    return { noticeVersion: notice.version, consentedAt: now };
  });
}
