import type { LoanStatus } from './loan';
import type { PayoutBillView } from './payout';

/** Roles an operator may hold (collection `operators`, `_id` = openid). */
export type OperatorRole = 'reviewer' | 'approver' | 'payout_officer' | 'supervisor' | 'auditor';

/** One operator. */
export interface OperatorDoc {
  _id: string;
  role: OperatorRole;
  active: boolean;
}

/** An application in the review queue (no personal data). */
export interface QueueItem {
  id: string;
  status: LoanStatus;
  version: number;
  amount: number;
  termMonths: number;
  purpose: string;
  createdAt: number;
  claimedBy: string | null;
  score: number | null;
  band: string | null;
  reasons: string[];
  rulesHit: string[];
  policyVersion: string | null;
  firstApprovalBy: string | null;
  appealReason: string | null;
  /** The borrower is frozen / blacklisted now: money may not move to them (approvals are refused). */
  borrowerFlags: { frozen: boolean; blacklisted: boolean };
}

/** One application as an operator's detail view shows it: personal data masked, never in the clear. */
export interface ApplicationDetail extends QueueItem {
  /** The borrower's openid (what freeze, blacklist and reveal take). */
  openid: string;
  method: string;
  aprBps: number;
  /** Masked identity (`*三`, `1****************X`, `138****5678`), absent before verification. */
  borrower: { name: string; idNumber: string; phone: string } | null;
  timeline: Array<{ at: number; status: LoanStatus; note: string }>;
  /** The maker's half of a maker-checker approval. */
  firstApproval: { operator: string; at: number; note: string; reasonCode?: string } | null;
  /** A person's decision, with its reason code. */
  manualDecision: {
    outcome: 'approved' | 'rejected';
    operator: string;
    checker?: string;
    at: number;
    note: string;
    reasonCode?: string;
  } | null;
  /** Fraud links recorded for the application's device and IP (counts, no identities). */
  fraudLinks: { deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number };
  /** The payout's status once one exists. */
  payout: { status: string; reason?: string; attempts: number } | null;
}

/** Where a loan's payout stands as a whole. */
export type PayoutStatus =
  /** The current bill is not final. */
  | 'in_progress'
  /** One bill reached SUCCESS; nothing more will ever be paid for this loan. */
  | 'succeeded'
  /** The current bill is confirmed FAIL/CANCELLED; a new attempt may be started. */
  | 'failed'
  /** Stopped: attempts exhausted, refused parameters, or an operator's hold. Needs an operator or appeal. */
  | 'manual';

/** One payout in an operator's list (no openid, no package, no name). */
export interface PayoutListItem {
  loanId: string;
  status: PayoutStatus;
  reason?: string;
  amount: number;
  attempts: number;
  phase: string;
  failReason?: string;
  /** Since when WeChat's final state is recorded but not yet booked (ledger, loan status): normally seconds. */
  bookingPendingSince?: number;
  createdAt: number;
  updatedAt: number;
}

/** An operator's full view of a payout: every bill with its history (no package_info, no name). */
export interface PayoutHistoryView {
  loanId: string;
  status: PayoutStatus;
  reason?: string;
  amount: number;
  bills: PayoutBillView[];
}

/** One China day of the dashboard. */
export interface DashboardDay {
  /** `YYYYMMDD` in China time. */
  day: string;
  applications: number;
  approved: number;
  rejected: number;
  /** approved / (approved + rejected), null when nothing was decided. */
  approvalRate: number | null;
}

/** What the workbench dashboard charts. */
export interface Dashboard {
  /** When the figures were read (epoch ms; shown in China time). */
  at: number;
  days: DashboardDay[];
  queue: { waiting: number; p50AgeMs: number | null; p90AgeMs: number | null };
  /** Today's (China day) merchant totals against the daily caps in force. */
  today: { day: string; reservedFen: number; capFen: number; bills: number; billCap: number };
  truncated: boolean;
}
