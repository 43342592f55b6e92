import { CREDIT_INQUIRY_TITLE } from '../../shared/credit-inquiry-authorisation';
import type { ConsentRecordView } from '../../typings/identity';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { CreditInquiryConsent } from '../risk/credit-data';
import { currentCreditInquiry } from './credit-consent';

/** One credit-inquiry authorisation period as 我的 lists it; `latest` when no later one was given. */
export function creditInquiryView(
  given: CreditInquiryConsent,
  withdrawnAt: number | null,
  latest: boolean,
): ConsentRecordView {
  return {
    kind: 'credit_inquiry',
    title: CREDIT_INQUIRY_TITLE,
    version: given.version,
    consentedAt: given.at,
    withdrawnAt,
    current: latest && given.version === currentCreditInquiry().version,
  };
}

/**
 * The borrower's credit-inquiry authorisations, newest first: the one stored now (in force unless
 * outdated), then the withdrawn ones; only the latest of the current version is `current`.
 */
export function creditInquiryViews(
  borrower: Pick<BorrowerDoc, 'creditInquiry' | 'creditInquiryHistory'> | undefined,
): ConsentRecordView[] {
  const history = borrower?.creditInquiryHistory ?? [];
  const present = borrower?.creditInquiry;
  const withdrawn = history
    .map((period, index) =>
      creditInquiryView(period, period.withdrawnAt, !present && index === history.length - 1),
    )
    .reverse();
  return present ? [creditInquiryView(present, null, true), ...withdrawn] : withdrawn;
}
