import { chinaDateOf, formatDate } from '../../shared/china-date';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { IdentityStatus } from '../../typings/identity';
import type { IdentityDeps } from './deps';
import { idCardPhotoDir } from './id-card-photo';
import { currentNotice } from './notice';
import {
  attemptsId,
  consentId,
  IDENTITY_COLLECTIONS,
  type IdentityAttemptsDoc,
  type IdentityConsentDoc,
} from './records';

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
    ...(identity && {
      identity: {
        maskedName: identity.masked.name,
        maskedIdNumber: identity.masked.idNumber,
        maskedPhone: identity.masked.phone,
        documentType: identity.documentType,
        verifier: identity.verifier,
        verifiedAt: identity.verifiedAt,
      },
    }),
    notice: { ...notice, consented: consent?.noticeHash === notice.sha256 },
    verifier: deps.config.verifier,
    policy: deps.config.policy,
    attemptsLeftToday: Math.max(0, deps.config.dailyAttempts - (attempts?.count ?? 0)),
    idCardPhotoDir: idCardPhotoDir(deps.keys, openid),
  };
}
