import { accountClosedRefusal } from '../borrowers/apply-block';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { currentNotice, isConsentInForce } from './notice';
import { consentId, IDENTITY_COLLECTIONS, type IdentityConsentDoc } from './records';

/**
 * Refuses a verification step unless the caller's consent to the current notice is in force (given,
 * not withdrawn), they are not verified
 * yet and their account was not closed; reads the consent and the borrower in parallel.
 */
export async function requireReadyToVerify(deps: IdentityDeps, openid: string): Promise<void> {
  const notice = currentNotice();
  const [consent, borrower] = await Promise.all([
    deps.store.get<IdentityConsentDoc>(IDENTITY_COLLECTIONS.consents, consentId(openid, notice.version)),
    deps.store.get<BorrowerDoc & { [field: string]: unknown }>(IDENTITY_COLLECTIONS.borrowers, openid),
  ]);
  if (!isConsentInForce(consent, notice)) throw identityError('CONSENT_REQUIRED');
  if (borrower?.identity) throw identityError('ALREADY_VERIFIED');
  const closed = accountClosedRefusal(borrower);
  if (closed) throw closed;
}
