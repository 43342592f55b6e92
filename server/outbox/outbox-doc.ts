import type { LoanStatus } from '../../typings/loan';
import type { StoredDoc } from '../storage/doc-store';

/** Collection of pending and delivered borrower notifications. */
export const OUTBOX = 'notificationOutbox';

/** Delivery state of one notification. */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

/** One notification to deliver, written in the same transaction as the change it announces. */
export interface OutboxDoc extends StoredDoc {
  openid: string;
  applicationId: string;
  /** The status the borrower is told about. */
  status: LoanStatus;
  amount: number;
  createdAt: number;
  state: OutboxState;
  attempts: number;
  /** Earliest time the next attempt may run (backoff). */
  nextAttemptAt: number;
  /** A `sending` claim older than this may be taken over (the sender crashed). */
  claimExpiresAt: number;
  /** How it was delivered: subscribe message or SMS fallback. */
  channel?: 'subscribe' | 'sms' | 'none';
  /** Last error code (no personal data). */
  lastError?: string;
  sentAt?: number;
}
