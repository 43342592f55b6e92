import type { LoanStatus } from '../../typings/loan';
import type { QueueItem } from '../../typings/ops';
import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import type { DocFilter, DocStore } from '../audit/doc-store';

/** Statuses that wait for a person. */
export const QUEUE_STATUSES = [
  'manual_review',
  'appealed',
  'awaiting_second_approval',
] as const satisfies readonly LoanStatus[];

/** Queue filters. */
export interface QueueFilter {
  status?: (typeof QUEUE_STATUSES)[number];
  /** Only unclaimed items, or only those claimed by `operatorId`. */
  claimed?: 'unclaimed' | 'mine';
  operatorId: string;
  offset: number;
  limit: number;
}

/** The operator's view of one application: decision summary, never identity data. */
export function queueItem(app: ApplicationDoc): QueueItem {
  return {
    id: app._id,
    status: app.status,
    version: app.version,
    amount: app.amount,
    termMonths: app.termMonths,
    purpose: app.purpose,
    createdAt: app.createdAt,
    claimedBy: app.claimedBy ?? null,
    score: app.decision?.score ?? null,
    band: app.decision?.band ?? null,
    reasons: app.decision?.reasons ?? [],
    rulesHit: app.decision?.rulesHit ?? [],
    policyVersion: app.decision?.policyVersion ?? null,
    firstApprovalBy: app.firstApproval?.operator ?? null,
    appealReason: app.appealReason ?? null,
  };
}

/** Applications waiting for a person, oldest first. */
export async function reviewQueue(store: DocStore, filter: QueueFilter): Promise<QueueItem[]> {
  const query: DocFilter = { status: filter.status ?? { $in: [...QUEUE_STATUSES] } };
  if (filter.claimed === 'unclaimed') query.claimedBy = null;
  if (filter.claimed === 'mine') query.claimedBy = filter.operatorId;
  const apps = await store.find<ApplicationDoc>(APPLICATIONS, query, {
    orderBy: { field: 'createdAt', direction: 'asc' },
    limit: filter.limit,
    skip: filter.offset,
  });
  return apps.map(queueItem);
}
