import type { LoanStatus } from '../../typings/loan';
import type { ApplicationDetail, QueueItem } from '../../typings/ops';
import { PAYOUT_COLLECTIONS } from '../payout/collections';
import type { PayoutDoc } from '../payout/payout-doc';
import { readLinks } from '../risk/signals';
import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import type { DocFilter, DocStore, StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { BORROWERS } from '../loan/application-doc';
import { BLACKLIST, type BlacklistDoc } from '../loan/blacklist';
import type { BorrowerFlags } from '../loan/money-gate';
import { AppError } from '../runtime/app-error';

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
export function queueItem(app: ApplicationDoc, flags: BorrowerFlags): QueueItem {
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
    borrowerFlags: { frozen: flags.frozen, blacklisted: flags.blacklisted },
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
  const flags = await flagsOf(store, apps);
  return apps.map((app) => queueItem(app, flags(app)));
}

/** The frozen/blacklisted flags of a page of applications: two queries (in parallel) for the whole page. */
async function flagsOf(
  store: DocStore,
  apps: ApplicationDoc[],
): Promise<(app: ApplicationDoc) => BorrowerFlags> {
  return (await borrowersAndFlags(store, apps)).flags;
}

/** The borrowers of a page of applications and their flags (the borrowers read once, with the blacklist). */
async function borrowersAndFlags(
  store: DocStore,
  apps: ApplicationDoc[],
): Promise<{ borrowers: Array<BorrowerDoc & StoredDoc>; flags: (app: ApplicationDoc) => BorrowerFlags }> {
  if (apps.length === 0) return { borrowers: [], flags: () => ({ frozen: false, blacklisted: false }) };
  const openids = [...new Set(apps.map((a) => a.openid))];
  const appHashes = [...new Set(apps.map((a) => a.idHash))];
  const listedOf = (hashes: string[]) =>
    store.find<BlacklistDoc>(BLACKLIST, { _id: { $in: hashes } }, { limit: hashes.length });
  const [borrowers, entries] = await Promise.all([
    store.find<BorrowerDoc & StoredDoc>(BORROWERS, { _id: { $in: openids } }, { limit: openids.length }),
    listedOf(appHashes),
  ]);
  // A borrower verified under another identity than the application carries (rare): one more query.
  const otherHashes = borrowers
    .map((b) => b.identity?.idHash)
    .filter((h): h is string => h !== undefined && !appHashes.includes(h));
  if (otherHashes.length > 0) entries.push(...(await listedOf(otherHashes)));
  const frozen = new Set(borrowers.filter((b) => b.frozen).map((b) => b._id));
  const ownHash = new Map(borrowers.map((b) => [b._id, b.identity?.idHash]));
  const blacklisted = new Set(entries.filter((e) => e.active).map((e) => e._id));
  return {
    borrowers,
    flags: (app) => ({
      frozen: frozen.has(app.openid),
      blacklisted: blacklisted.has(app.idHash) || blacklisted.has(ownHash.get(app.openid) ?? ''),
    }),
  };
}

/**
 * One application as operators see it (APPLICATION_NOT_FOUND otherwise): the queue fields, the
 * borrower's masked identity and flags, timeline, decision record with reason codes, fraud-link
 * counts and payout status — the application first, then everything else in parallel.
 */
export async function applicationDetail(store: DocStore, id: string): Promise<ApplicationDetail> {
  const app = await store.get<ApplicationDoc>(APPLICATIONS, id);
  if (!app) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  const [{ borrowers, flags }, links, payout] = await Promise.all([
    borrowersAndFlags(store, [app]),
    readLinks(store, { deviceHash: app.deviceHash, clientIp: app.consent.clientIp, at: app.createdAt }),
    store.get<PayoutDoc & StoredDoc>(PAYOUT_COLLECTIONS.payouts, id),
  ]);
  const masked = borrowers[0]?.identity?.masked;
  return {
    ...queueItem(app, flags(app)),
    openid: app.openid,
    method: app.method,
    aprBps: app.aprBps,
    borrower: masked ? { name: masked.name, idNumber: masked.idNumber, phone: masked.phone } : null,
    timeline: app.timeline,
    firstApproval: app.firstApproval ?? null,
    manualDecision: app.manualDecision ?? null,
    fraudLinks: links,
    payout: payout
      ? {
          status: payout.status,
          ...(payout.reason ? { reason: payout.reason } : {}),
          attempts: payout.bills.length,
        }
      : null,
  };
}
