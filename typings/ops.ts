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
