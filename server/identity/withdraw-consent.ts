import type { Caller } from '../runtime/caller';
import type { ConsentRecordView, IdentityWithdrawConsentRequest } from '../../typings/identity';
import { setBorrowerRights } from './borrower-rights';
import { auditBorrowerAct } from './borrower-audit';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { currentNotice } from './notice';
import { consentView } from './profile';
import { consentId, IDENTITY_COLLECTIONS, type IdentityConsentDoc } from './records';

/**
 * Withdraws the borrower's consent to the notice in force (PIPL art. 15): from now on the borrower
 * cannot verify again or submit a new application (`apply` refuses CONSENT_WITHDRAWN) until they
 * consent again. What was processed before stays lawful and loans already signed run on. Consent
 * record, borrower flag and audit record commit together; withdrawing twice answers the first withdrawal.
 */
export async function withdrawConsent(
  deps: IdentityDeps,
  caller: Caller & { openid: string },
  request: IdentityWithdrawConsentRequest,
): Promise<ConsentRecordView> {
  const notice = currentNotice();
  if (request.noticeVersion !== notice.version) throw identityError('CONSENT_NOT_FOUND');
  const now = deps.clock.now();
  return deps.store.transact(async (tx) => {
    const consent = await tx.get<IdentityConsentDoc>(
      IDENTITY_COLLECTIONS.consents,
      consentId(caller.openid, notice.version),
    );
    if (!consent) throw identityError('CONSENT_NOT_FOUND');
    if (consent.withdrawnAt) return consentView(consent, notice.version);
    const withdrawn: IdentityConsentDoc = { ...consent, withdrawnAt: now };
    await tx.put(IDENTITY_COLLECTIONS.consents, withdrawn);
    await setBorrowerRights(tx, caller.openid, { consentWithdrawnAt: now }, now);
    await auditBorrowerAct(
      tx,
      caller.openid,
      'identity.consent_withdrawn',
      { noticeVersion: notice.version, noticeHash: consent.noticeHash },
      now,
    );
    return consentView(withdrawn, notice.version);
  });
}
