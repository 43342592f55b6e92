import { AUDIT_PENDING_FIELD, type StoredDoc } from '../storage/doc-store';
import type { AuditRecord } from './chain';

/**
 * Audit records waiting in their subject's own document. A change that writes only that document
 * (one conditional update, no transaction) keeps its records there, already chained and keyed:
 * the head moves with them, `verifyAudit` checks them like logged ones, and the subject's next
 * audited transaction moves them to the log (appendAudit; `pendingAuditFields` makes them).
 */

/** The records waiting in a subject's document, oldest first. */
export function pendingAuditRecords(home: StoredDoc): AuditRecord[] {
  const pending = home[AUDIT_PENDING_FIELD];
  return Array.isArray(pending) ? (pending as AuditRecord[]) : [];
}

/** A subject's document without its waiting records (once they are in the log). */
export function withoutPendingAudit(home: StoredDoc): StoredDoc {
  const { [AUDIT_PENDING_FIELD]: _moved, ...rest } = home;
  return rest;
}
