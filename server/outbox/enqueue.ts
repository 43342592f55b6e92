import type { LoanStatus } from '../../typings/loan';
import type { TxDocs } from '../storage/doc-store';
import { OUTBOX, type OutboxDoc } from './outbox-doc';

/** Statuses the borrower is notified about. */
export const NOTIFIED_STATUSES: readonly LoanStatus[] = [
  'manual_review',
  'approved',
  'rejected',
  'cancelled',
  'appeal_denied',
  'awaiting_confirmation',
  'disbursed',
  'disbursement_failed',
];

/** Writes the notification of a status change inside the transaction that makes the change. */
export async function enqueueNotification(
  tx: TxDocs,
  change: {
    applicationId: string;
    version: number;
    openid: string;
    status: LoanStatus;
    amount: number;
    at: number;
  },
): Promise<boolean> {
  if (!NOTIFIED_STATUSES.includes(change.status)) return false;
  const doc: OutboxDoc = {
    _id: `${change.applicationId}-v${change.version}`,
    openid: change.openid,
    applicationId: change.applicationId,
    status: change.status,
    amount: change.amount,
    createdAt: change.at,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: change.at,
    claimExpiresAt: 0,
  };
  await tx.put(OUTBOX, doc);
  return true;
}
