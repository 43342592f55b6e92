import type { QuoteAnswer } from '../../typings/loan';
import { callAs, unwrap } from './http';
import { verifyIdentity } from './identity';
import { callAsConsole, operatorDecide } from './operators';
import type { Borrower } from './scenarios';

/** Where one borrower's journey stands; filled in phase by phase. */
export interface JourneyState {
  borrower: Borrower;
  /** Real ms when the journey began. */
  startedAt: number;
  /** Real ms when a final state was seen. */
  endedAt?: number;
  loanId?: string;
  /** The automated review's outcome (from the loan's timeline). */
  appliedStatus?: string;
  /** Latest known loan status. */
  status?: string;
  /** Why the journey stopped early, or an adjustment made on the way. */
  note?: string;
  failed?: boolean;
}

/** The application view `loan.apply` answers with. */
interface Applied {
  applicationId: string;
  application: { status: string };
}

/** Verifies the borrower and applies; the automated review decides within `apply`. */
export async function verifyAndApply(baseUrl: string, state: JourneyState): Promise<void> {
  const { borrower } = state;
  state.note = await verifyIdentity(baseUrl, borrower);
  // As the page does: read the agreement served for these figures, then sign exactly that one.
  const quoted = unwrap(
    'loan.quote',
    await callAs<QuoteAnswer>(baseUrl, borrower.openid, 'loan', {
      action: 'quote',
      amount: borrower.amount,
      termMonths: 6,
      method: 'equal_instalment',
    }),
  );
  const agreement = quoted.quote?.agreement;
  if (!agreement) throw new Error('loan.quote answered without a priced loan');
  // The credit-inquiry authorisation the page shows next to the agreement, given before applying.
  unwrap(
    'loan.authoriseCreditInquiry',
    await callAs(baseUrl, borrower.openid, 'loan', {
      action: 'authoriseCreditInquiry',
      version: quoted.creditInquiry.version,
      textSha256: quoted.creditInquiry.sha256,
    }),
  );
  const applied = unwrap(
    'loan.apply',
    await callAs<Applied>(baseUrl, borrower.openid, 'loan', {
      action: 'apply',
      requestId: `demo-${borrower.openid.slice(-12).replace(/[^A-Za-z0-9_-]/g, '')}-${state.startedAt.toString(36)}`,
      amount: borrower.amount,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: `demo-device-${borrower.openid}`,
      consent: { accepted: true, version: agreement.version, textSha256: agreement.sha256 },
    }),
  );
  state.loanId = applied.applicationId;
  state.status = applied.application.status;
  await refreshStatus(baseUrl, state);
}

/** Operators work a manual review the way the scenario wants: approve unless it is a review rejection. */
export async function decideIfQueued(baseUrl: string, state: JourneyState): Promise<void> {
  if (state.status !== 'manual_review' || !state.loanId) return;
  const decision = state.borrower.scenario === 'review_reject' ? 'reject' : 'approve';
  state.status = await operatorDecide(baseUrl, state.loanId, decision);
}

/** Statuses the automated review can reach first. */
const AUTOMATED_OUTCOMES = new Set(['approved', 'manual_review', 'rejected']);

/**
 * Reads the loan's status as its borrower sees it (`loan.get`), and the automated review's outcome
 * from its timeline (the first decision after scoring), which later steps cannot blur.
 */
export async function refreshStatus(baseUrl: string, state: JourneyState): Promise<string> {
  if (!state.loanId) return state.status ?? 'unknown';
  const view = unwrap(
    'loan.get',
    await callAs<{ status: string; timeline: Array<{ status: string }> }>(
      baseUrl,
      state.borrower.openid,
      'loan',
      {
        action: 'get',
        applicationId: state.loanId,
      },
    ),
  );
  state.status = view.status;
  state.appliedStatus =
    view.timeline.find((t) => AUTOMATED_OUTCOMES.has(t.status))?.status ?? state.appliedStatus;
  return view.status;
}

/**
 * An application the in-process review left in `submitted`/`scoring` (its write conflicted; the
 * review timer would retry after a minute) is reviewed now by a console call to `review`.
 */
export async function reviewIfPending(baseUrl: string, state: JourneyState): Promise<void> {
  if (!state.loanId || (state.status !== 'submitted' && state.status !== 'scoring')) return;
  unwrap(
    'review.review (console)',
    await callAsConsole('review', { action: 'review', applicationId: state.loanId }),
  );
  await refreshStatus(baseUrl, state);
}
