import type { LoanStatus } from './loan';

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
