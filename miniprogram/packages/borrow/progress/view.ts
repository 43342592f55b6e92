import type { ApplicationView, LoanStatus } from '../../../../typings/loan';
import type { PayoutProgress } from '../../../../typings/payout';
import { purposeLabel } from '../../../shared/loan-purposes';
import { dateTime, methodLabel, yuan } from '../../../utils/format';
import { expectedDecisionText } from '../../../utils/review-promise';
import { statusKind, type StatusKind } from '../../../utils/status-kind';

/** Statuses after which nothing moves without the borrower (or a person) acting. */
const SETTLED: readonly LoanStatus[] = [
  'rejected',
  'cancelled',
  'appeal_denied',
  'disbursed',
  'repaying',
  'overdue',
  'settled',
  'written_off',
];

/**
 * Statuses in which the payout side has something to say. `approved` included: the page's first
 * `payout.progress` after an approval is what starts the payout.
 */
export const PAYOUT_STATUSES: readonly LoanStatus[] = [
  'approved',
  'disbursing',
  'awaiting_confirmation',
  'disbursed',
  'disbursement_failed',
  'repaying',
];

/** The rendered state of the progress page. */
export interface ProgressView {
  /** How the headline is drawn (wl-status). */
  kind: StatusKind;
  title: string;
  amount: string;
  terms: string;
  purpose: string;
  steps: Array<{ text: string; desc: string }>;
  active: number;
  reasons: string[];
  /** The one next step under the headline: the payout's, or when a person promised to decide. */
  next: string;
  /** The borrower's own appeal text, kept on screen after appealing. */
  appealText: string;
  /** Help is promised here (a failure, or a payout a person must look at): offer 联系客服. */
  offerHelp: boolean;
  appealHint: string;
  appealable: boolean;
  payout: {
    stage: string;
    message: string;
    reason: string;
    nextStep: string;
    canRetry: boolean;
    canConfirm: boolean;
    confirmBefore: string;
  } | null;
}

/** True while the server may still move the application on its own. */
export function stillMoving(app: ApplicationView, payout: PayoutProgress | undefined): boolean {
  if (SETTLED.includes(app.status)) return false;
  if (
    payout &&
    (payout.stage === 'failed' || payout.stage === 'manual_review' || payout.stage === 'disbursed')
  )
    return false;
  return true;
}

/** Builds what the page renders from the `loan.get` and `payout.progress` answers. */
export function progressView(app: ApplicationView, payout: PayoutProgress | undefined): ProgressView {
  const latest = app.timeline[app.timeline.length - 1];
  // The payout answer is read after the application, so while paying out it is the fresher headline.
  const kind = statusKind(app.status, payout?.stage);
  return {
    kind,
    title: payout?.message ?? latest?.note ?? '',
    amount: yuan(app.amount),
    terms: `${app.termMonths}个月 · ${methodLabel(app.method)}`,
    purpose: purposeLabel(app.purpose),
    // The status box says the payout's reason once; the step that repeats it keeps only the headline.
    steps: app.timeline.map((entry) => ({
      text: payout?.reason && entry.note.includes(payout.reason) ? payout.message : entry.note,
      desc: dateTime(entry.at),
    })),
    active: Math.max(0, app.timeline.length - 1),
    reasons:
      app.explanation?.outcome === 'rejected' || app.status === 'appeal_denied' || app.status === 'appealed'
        ? (app.explanation?.reasons ?? [])
        : [],
    next: payout?.nextStep || expectedDecisionText(app),
    appealText: app.appealReason ?? '',
    offerHelp: kind === 'failed' || payout?.stage === 'manual_review',
    appealHint: app.appealable ? (app.explanation?.appeal ?? '') : '',
    appealable: app.appealable,
    payout: payout
      ? {
          stage: payout.stage,
          message: payout.message,
          reason: payout.reason ?? '',
          nextStep: payout.nextStep ?? '',
          canRetry: payout.canRetry,
          canConfirm: Boolean(payout.confirmation),
          confirmBefore: payout.confirmBefore ? dateTime(payout.confirmBefore) : '',
        }
      : null,
  };
}
