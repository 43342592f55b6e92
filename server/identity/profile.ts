import { SENSITIVE_INFO_NOTICE_TITLE } from '../../shared/sensitive-info-notice';
import { applyBlockOf } from '../borrowers/apply-block';
import { creditInquiryViews } from '../loan/credit-inquiry-view';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { ConsentRecordView, IdentityProfile } from '../../typings/identity';
import type { IdentityDeps } from './deps';
import { correctionView, deletionView } from './request-views';
import { currentNotice, isConsentInForce } from './notice';
import { IDENTITY_COLLECTIONS, type IdentityConsentDoc, type IdentityRequestDoc } from './records';
import { maskedIdentityView } from './status';

/** Versions a borrower can have consented to stay few; more than this many documents would be a bug. */
const MAX_CONSENT_DOCS = 50;
/** At most one deletion request and one correction per field. */
const MAX_REQUEST_DOCS = 10;

/** One consent period as 我的 lists it. */
export function consentView(doc: IdentityConsentDoc, currentVersion: string): ConsentRecordView {
  return {
    kind: 'sensitive_info',
    title: SENSITIVE_INFO_NOTICE_TITLE,
    version: doc.noticeVersion,
    consentedAt: doc.consentedAt,
    withdrawnAt: doc.withdrawnAt ?? null,
    current: doc.noticeVersion === currentVersion,
  };
}

/** Every period of one consent document: the present one, then the earlier ones it replaced. */
function consentPeriods(doc: IdentityConsentDoc, currentVersion: string): ConsentRecordView[] {
  const present = consentView(doc, currentVersion);
  const earlier = (doc.history ?? []).map((period) => ({ ...present, ...period, current: false }));
  return [present, ...earlier];
}

/**
 * 我的: the caller's masked identity, every consent given (version, time, withdrawal) — the
 * sensitive-information notice and the credit-inquiry authorisation — and their
 * rights requests, from three reads in parallel.
 */
export async function identityProfile(deps: IdentityDeps, openid: string): Promise<IdentityProfile> {
  const notice = currentNotice();
  const [borrower, consents, requests] = await Promise.all([
    deps.store.get<BorrowerDoc & { [field: string]: unknown }>(IDENTITY_COLLECTIONS.borrowers, openid),
    deps.store.find<IdentityConsentDoc>(
      IDENTITY_COLLECTIONS.consents,
      { openid },
      { limit: MAX_CONSENT_DOCS, orderBy: { field: 'consentedAt', direction: 'desc' } },
    ),
    deps.store.find<IdentityRequestDoc>(
      IDENTITY_COLLECTIONS.requests,
      { openid },
      { limit: MAX_REQUEST_DOCS },
    ),
  ]);
  const deletion = requests.find((r) => r.kind === 'deletion');
  const current = consents.find((doc) => doc.noticeVersion === notice.version);
  return {
    identity: borrower?.identity ? maskedIdentityView(borrower.identity) : null,
    consents: [
      ...consents.flatMap((doc) => consentPeriods(doc, notice.version)),
      ...creditInquiryViews(borrower),
    ].sort((a, b) => b.consentedAt - a.consentedAt),
    deletion: deletion ? deletionView(deletion) : null,
    corrections: requests
      .filter((r) => r.kind === 'correction')
      .map(correctionView)
      .sort((a, b) => b.requestedAt - a.requestedAt),
    notice: { ...notice, consented: isConsentInForce(current, notice) },
    applyBlock: applyBlockOf(borrower),
  };
}
