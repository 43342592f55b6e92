import { chinaDateOf, formatDate } from '../../shared/china-date';
import { applyBlockOf } from '../borrowers/apply-block';
import type { BorrowerDoc, BorrowerIdentity } from '../borrowers/borrower-doc';
import type { IdentityStatus } from '../../typings/identity';
import type { IdentityDeps } from './deps';
import { idCardPhotoDir } from './id-card-photo';
import { currentNotice, isConsentInForce } from './notice';
import {
  attemptsId,
  consentId,
  IDENTITY_COLLECTIONS,
  type IdentityAttemptsDoc,
  type IdentityConsentDoc,
} from './records';

/** What answers carry of a verified identity: the masks, never the envelopes or blind indexes. */
export function maskedIdentityView(identity: BorrowerIdentity): NonNullable<IdentityStatus['identity']> {
  return {
    maskedName: identity.masked.name,
    maskedIdNumber: identity.masked.idNumber,
    maskedPhone: identity.masked.phone,
    documentType: identity.documentType,
    verifier: identity.verifier,
    verifiedAt: identity.verifiedAt,
  };
}

/** The caller's own verification state: masked data, consent, policy and attempts left today. */
export async function identityStatus(deps: IdentityDeps, openid: string): Promise<IdentityStatus> {
  const notice = currentNotice();
  const today = formatDate(chinaDateOf(deps.clock.now()));
  const [borrower, consent, attempts] = await Promise.all([
    deps.store.get<BorrowerDoc & { [field: string]: unknown }>(IDENTITY_COLLECTIONS.borrowers, openid),
    deps.store.get<IdentityConsentDoc>(IDENTITY_COLLECTIONS.consents, consentId(openid, notice.version)),
    deps.store.get<IdentityAttemptsDoc>(IDENTITY_COLLECTIONS.attempts, attemptsId(openid, today)),
  ]);
  const identity = borrower?.identity;
  return {
    verified: Boolean(identity),
    ...(identity && { identity: maskedIdentityView(identity) }),
    notice: { ...notice, consented: isConsentInForce(consent, notice) },
    verifier: deps.config.verifier,
    policy: deps.config.policy,
    attemptsLeftToday: Math.max(0, deps.config.dailyAttempts - (attempts?.count ?? 0)),
    applyBlock: applyBlockOf(borrower),
    idCardPhotoDir: idCardPhotoDir(deps.keys, openid),
  };
}
