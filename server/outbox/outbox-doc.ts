import type { LoanStatus } from '../../typings/loan';
import type { StoredDoc } from '../storage/doc-store';
import type { SmsNotice } from './template';

/** Collection of pending and delivered borrower notifications. */
export const OUTBOX = 'notificationOutbox';

/** Delivery state of one notification (`withdrawn`: what it announced no longer held when it was due). */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'withdrawn';

/** A message composed when it was queued (reminders): sent exactly as stored, never recomputed. */
export interface ComposedMessage {
  /** Subscribe-message template, page opened from it, and its data (every field within its limit). */
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  /** The transactional SMS sent instead when the borrower has no grant left. */
  sms: SmsNotice;
  /** Collection contact: delivered only in the daytime (server/outbox/daytime.ts), else deferred. */
  daytimeOnly: boolean;
  /** Sent only while this field of this document still has this value (e.g. the instalment is unpaid). */
  onlyIf?: { collection: string; id: string; field: string; equals: string | number };
}

/** Fields every queued notification has. */
interface OutboxBase extends StoredDoc {
  openid: string;
  applicationId: string;
  /** The loan's status the notification is about (the new status of a change; a reminder's loan status). */
  status: LoanStatus;
  createdAt: number;
  state: OutboxState;
  attempts: number;
  /** Earliest time the next attempt may run (backoff, or the next daytime). */
  nextAttemptAt: number;
  /** A `sending` claim older than this may be taken over (the sender crashed). */
  claimExpiresAt: number;
  /** How it was delivered: subscribe message or SMS fallback. */
  channel?: 'subscribe' | 'sms' | 'none';
  /** Last error code (no personal data). */
  lastError?: string;
  sentAt?: number;
}

/** A status change, written in the same transaction as the change it announces. */
export interface StatusNoticeDoc extends OutboxBase {
  amount: number;
  message?: undefined;
}

/** A message composed when queued (a repayment reminder). */
export interface ComposedNoticeDoc extends OutboxBase {
  /** What the message is about, for operators and tests (e.g. `reminder:overdue_day_3`); never sent. */
  topic: string;
  message: ComposedMessage;
}

/** One notification to deliver. */
export type OutboxDoc = StatusNoticeDoc | ComposedNoticeDoc;
