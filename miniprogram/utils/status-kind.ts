import type { LoanStatus } from '../../typings/loan';
import type { PayoutStage } from '../../typings/payout';

/** The four ways an outcome can look; every page draws each one the same way (wl-status). */
export type StatusKind = 'success' | 'progress' | 'needs_you' | 'failed';

const LOAN_KINDS: Record<LoanStatus, StatusKind> = {
  submitted: 'progress',
  scoring: 'progress',
  manual_review: 'progress',
  awaiting_second_approval: 'progress',
  approved: 'success',
  rejected: 'failed',
  cancelled: 'failed',
  appealed: 'progress',
  appeal_denied: 'failed',
  disbursing: 'progress',
  awaiting_confirmation: 'needs_you',
  disbursed: 'success',
  disbursement_failed: 'failed',
  repaying: 'success',
  overdue: 'needs_you',
  settled: 'success',
  written_off: 'needs_you',
};

const PAYOUT_KINDS: Record<PayoutStage, StatusKind> = {
  preparing: 'progress',
  awaiting_confirmation: 'needs_you',
  transferring: 'progress',
  disbursed: 'success',
  failed: 'failed',
  manual_review: 'progress',
};

/** The kind of a loan's state; the payout stage, read after the application, decides while paying out. */
export function statusKind(status: LoanStatus, payoutStage?: PayoutStage): StatusKind {
  return payoutStage ? PAYOUT_KINDS[payoutStage] : LOAN_KINDS[status];
}
