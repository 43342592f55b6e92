import { auditKeys } from '../audit/audit-keys';
import type { ChainHead } from '../audit/chain-head';
import { FIRST_SEAL, type AuditSeal, type SealCursor } from '../audit/seal';
import { checkLedgerAgainstBills, verifyLedgerChains, type LedgerProblem } from '../ledger/check';
import { ledgerChainOf, type Voucher } from '../ledger/voucher';
import { pageAfter } from '../storage/cursor-pages';
import type { DocStore, StoredDoc } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { PayoutDoc } from './payout-doc';
import type { PayoutDeps } from './ports';
import { billFacts } from './reconcile';

/** How much one sweep reads at most (the reconcile timer runs one sweep per tick). */
export interface SweepSizes {
  /**
   * Chains, and payouts, taken from the two rolling cursors: every loan is checked once every
   * ⌈loans ÷ this⌉ ticks, whatever changed.
   */
  rolling: number;
  /** Chains changed since the last sweep, taken oldest first (the rest wait for the next tick). */
  changed: number;
  /** Seals verified after the last one verified. */
  seals: number;
  /** Loans with a problem found earlier, checked again until it is gone. */
  openProblems: number;
}

/** 200 loans per 10-minute tick cover 28,800 loans a day; raise it with the book. */
export const SWEEP_SIZES: SweepSizes = { rolling: 200, changed: 500, seals: 2, openProblems: 100 };

/**
 * A changed chain committed with an `updatedAt` a little before a sweep that did not yet see it: the
 * next sweep looks back this far past its predecessor's start, so such a change is still swept.
 */
const COMMIT_LAG_MS = 60_000;

/** `_id` of the sweep's one cursor document (written only by the reconcile timer). */
const CURSOR_ID = 'cursor';

/** Where the sweep stands; `ledgerSweeps/cursor`. */
export interface SweepCursor extends StoredDoc {
  /** The rolling pass over every chain head resumes after this `_id` (`''`: from the first). */
  chainsAfter: string;
  /** The rolling pass over every payout resumes after this `_id` (`''`: from the first). */
  payoutsAfter: string;
  /** Chains with an `updatedAt` from here on are swept next. */
  changedSince: number;
  /** The last seal verified intact. */
  seals: SealCursor;
  /** Loans with a problem still open (checked again by every sweep until it is gone). */
  open: string[];
}

/** A sweep's problems and how far it got. */
export interface SweepReport {
  problems: LedgerProblem[];
  /** Loans whose chain and payout were checked. */
  loans: number;
  /** Where the sweep now stands. */
  cursor: SweepCursor;
}

const START: SweepCursor = {
  _id: CURSOR_ID,
  chainsAfter: '',
  payoutsAfter: '',
  changedSince: 0,
  seals: FIRST_SEAL,
  open: [],
};

const IN_CHUNK = 100;
const PAGE = 1000;

/** Every document of `collection` whose `field` is one of `values` (in chunks, page by page; none: no call). */
async function findIn<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  field: string,
  values: readonly string[],
): Promise<T[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) chunks.push(values.slice(i, i + IN_CHUNK));
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const found: T[] = [];
      for (let skip = 0; ; skip += PAGE) {
        const page = await store.find<T>(collection, { [field]: { $in: chunk } }, { skip, limit: PAGE });
        found.push(...page);
        if (page.length < PAGE) return found;
      }
    }),
  );
  return pages.flat();
}

const ascending = (field: string, limit: number) => ({
  orderBy: { field, direction: 'asc' as const },
  limit,
});

const loanOfChain = (chain: string): string => chain.replace(/^ledger:/, '');

/** Where a rolling pass resumes after `page`: at its last document, or from the first when it was the end. */
function resumeAfter(page: readonly StoredDoc[], limit: number): string {
  return page.length < limit ? '' : (page.at(-1)?._id ?? '');
}

/**
 * Whether `id` lies in the range a rolling page read whole: after `after`, up to the page's last `_id`
 * (or to the end when the page was not full). An id in that range but not in the page does not exist,
 * so nothing needs to be asked about it.
 */
function readWhole(after: string, page: readonly StoredDoc[], limit: number): (id: string) => boolean {
  const last = page.length < limit ? undefined : page.at(-1)?._id;
  return (id) => id > after && (last === undefined || id <= last);
}

/**
 * The loan a problem is about: `ref` is the loan, `ledger:<loanId>#<seq>` for a broken link, a voucher's
 * id for an unbalanced voucher, `seal#<seq>` for the seal chain (no loan: its cursor stays put instead).
 */
function loanOfProblem(problem: LedgerProblem, vouchers: readonly Voucher[]): string | undefined {
  if (problem.ref.startsWith('seal#')) return undefined;
  if (problem.code === 'VOUCHER_UNBALANCED') return vouchers.find((v) => v._id === problem.ref)?.loanId;
  return loanOfChain(problem.ref.replace(/#\d+$/, ''));
}

/** Whether two cursors stand at the same place. */
function samePlace(a: SweepCursor, b: SweepCursor): boolean {
  return (
    a.chainsAfter === b.chainsAfter &&
    a.payoutsAfter === b.payoutsAfter &&
    a.changedSince === b.changedSince &&
    a.seals.seq === b.seals.seq &&
    a.seals.hash === b.seals.hash &&
    a.open.length === b.open.length &&
    a.open.every((id, i) => b.open[i] === id)
  );
}

/** Writes the cursor when it moved (an unchanged ledger costs no write): one update, or the first insert. */
async function saveCursor(
  store: DocStore,
  stored: SweepCursor | undefined,
  next: SweepCursor,
): Promise<void> {
  if (stored && samePlace({ ...START, ...stored }, next)) return;
  const { _id: _omit, ...fields } = next;
  if (stored && (await store.updateWhere(C.ledgerSweeps, { _id: CURSOR_ID }, fields)) > 0) return;
  await store.transact(async (tx) => {
    await tx.put(C.ledgerSweeps, next);
  });
}

/**
 * The reconcile timer's ledger check, in bounded work per tick (the full `checkLedger`, which reads the
 * whole ledger, stays for operators). It takes every chain changed since the previous sweep (a booking
 * or a repayment moves its loan's head), the next `rolling` chain heads and payouts of two rolling
 * passes (so an edit in the console to an old voucher, head or payout, which moves no `updatedAt`, is
 * found within one lap), the seals written since the last one verified, with every chain they name, and
 * the loans of problems still open. Each loan taken is checked whole, its chain against its head and its
 * ledger against its bills, with the functions `checkLedger` uses. Pending bookings are the reconcile
 * pass's own (`BOOKING_FAILED` each pass; `BOOKING_OVERDUE` here when the rolling pass reaches one).
 * Reads: the cursor, the four lists side by side, then the vouchers of the loans taken (heads and payouts
 * only for those neither in hand nor known absent from a rolling page); the cursor is written only when
 * it moved.
 */
export async function sweepLedger(deps: PayoutDeps, sizes: SweepSizes = SWEEP_SIZES): Promise<SweepReport> {
  const store = deps.store.docs;
  const now = deps.clock.now();
  const stored = await store.get<SweepCursor>(C.ledgerSweeps, CURSOR_ID);
  const cursor: SweepCursor = { ...START, ...stored };
  const [rollingHeads, rollingPayouts, changedHeads, seals] = await Promise.all([
    pageAfter<ChainHead>(store, C.ledgerHeads, {}, cursor.chainsAfter, sizes.rolling),
    pageAfter<PayoutDoc & StoredDoc>(store, C.payouts, {}, cursor.payoutsAfter, sizes.rolling),
    store.find<ChainHead>(
      C.ledgerHeads,
      { updatedAt: { $gte: cursor.changedSince } },
      ascending('updatedAt', sizes.changed),
    ),
    store.find<AuditSeal>(C.ledgerSeals, { seq: { $gt: cursor.seals.seq } }, ascending('seq', sizes.seals)),
  ]);
  const ids = [
    ...new Set([
      ...cursor.open.slice(0, sizes.openProblems),
      ...[...rollingHeads, ...changedHeads].map((h) => loanOfChain(h._id)),
      ...rollingPayouts.map((p) => p._id),
      ...seals.flatMap((s) => s.heads.map((h) => loanOfChain(h.chain))),
    ]),
  ];
  const headsInHand = new Map([...rollingHeads, ...changedHeads].map((h) => [h._id, h]));
  const payoutsInHand = new Map(rollingPayouts.map((p) => [p._id, p]));
  const noHead = readWhole(cursor.chainsAfter, rollingHeads, sizes.rolling);
  const noPayout = readWhole(cursor.payoutsAfter, rollingPayouts, sizes.rolling);
  const chains = ids.map(ledgerChainOf);
  const [vouchers, moreHeads, morePayouts] = await Promise.all([
    findIn<Voucher & StoredDoc>(store, C.ledgerVouchers, 'chain', chains),
    findIn<ChainHead>(
      store,
      C.ledgerHeads,
      '_id',
      chains.filter((c) => !headsInHand.has(c) && !noHead(c)),
    ),
    findIn<PayoutDoc & StoredDoc>(
      store,
      C.payouts,
      '_id',
      ids.filter((id) => !payoutsInHand.has(id) && !noPayout(id)),
    ),
  ]);
  const heads = [...headsInHand.values(), ...moreHeads];
  const payouts = [...payoutsInHand.values(), ...morePayouts];
  const problems = [
    ...verifyLedgerChains(auditKeys(), { vouchers, heads, seals }, cursor.seals),
    ...checkLedgerAgainstBills(
      vouchers,
      payouts.map((p) => billFacts(p, now)),
    ),
  ];
  const sealBroken = problems.some((p) => p.ref.startsWith('seal#') || p.detail === 'seal_mismatch');
  const lastSeal = seals.at(-1);
  const next: SweepCursor = {
    _id: CURSOR_ID,
    chainsAfter: resumeAfter(rollingHeads, sizes.rolling),
    payoutsAfter: resumeAfter(rollingPayouts, sizes.rolling),
    // Nothing changed: the window stays. All of it read: from the sweep's start, less the commit lag.
    // A full page: from its last change (equal times are read again, never skipped).
    changedSince:
      changedHeads.length === 0
        ? cursor.changedSince
        : changedHeads.length < sizes.changed
          ? Math.max(cursor.changedSince, now - COMMIT_LAG_MS)
          : (changedHeads.at(-1)?.updatedAt ?? cursor.changedSince),
    seals: !sealBroken && lastSeal ? { seq: lastSeal.seq, hash: lastSeal.hash } : cursor.seals,
    open: [
      ...new Set(
        problems.map((p) => loanOfProblem(p, vouchers)).filter((id): id is string => id !== undefined),
      ),
    ],
  };
  await saveCursor(store, stored, next);
  return { problems, loans: ids.length, cursor: next };
}
