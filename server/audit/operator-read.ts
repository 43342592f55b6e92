import type { DocStore } from '../storage/doc-store';
import { recordAudit } from './audit-log';
import type { AuditEntry } from './chain';

/** What an operator read, for the audit: the event, its non-personal details and, when not a list, its subject. */
export interface OperatorRead {
  at: number;
  operator: string;
  event: string;
  details: AuditEntry['details'];
  /** Defaults to `ops`, qualified by the actor (chain `ops:<operator>`): no chain every operator's read writes. */
  subject?: string;
}

/** Records that an operator read a list or a record: one success record in a transaction of its own. */
export async function recordOperatorRead(store: DocStore, read: OperatorRead): Promise<void> {
  await recordAudit(store, {
    at: read.at,
    actor: read.operator,
    actorType: 'operator',
    event: read.event,
    subject: read.subject ?? 'ops',
    outcome: 'success',
    details: read.details,
  });
}
