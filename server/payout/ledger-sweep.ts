import { auditKeys } from '../audit/audit-keys';
import type { ChainHead } from '../audit/chain-head';
import { FIRST_SEAL, type SealCursor } from '../audit/seal';
import { verifySeals, type LedgerProblem } from '../ledger/check';
import type { Voucher } from '../ledger/voucher';
import { pageAfter } from '../storage/cursor-pages';
import type { DocStore, StoredDoc } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { PayoutDoc } from './payout-doc';
import {
  addChain,
  addLoan,
  addVoucher,
  ascending,
  bookProblems,
  nothingInHand,
  readBooks,
  subjectsOf,
  type Subjects,
} from './sweep-books';
import { afterStop, sealsFrom, takeSeals } from './sweep-seals';

/** How much one sweep reads at most (the reconcile timer runs one sweep per tick). */
export interface SweepSizes {
  /**
   * Chain heads, payouts and vouchers taken from the three rolling passes: every loan is checked once
   * every ⌈loans ÷ this⌉ ticks, whatever changed.
   */
  rolling: number;
  /** Chains changed since the last sweep, taken oldest first (the rest wait for the next tick). */
  changed: number;
  /**
   * Seals checked per tick, new ones first, then old ones again (a rolling pass over every seal);
   * more than the sealing timer writes per tick (one a minute at most), so both keep up.
   */
  seals: number;
  /** Sealed heads the new seals taken may name at most (whole seals, at least one; a seal holds up to 500). */
  sealedHeads: number;
  /** Sealed heads the old seals taken again may name at most (whole seals, at least one). */
  resealedHeads: number;
  /** Loans with a problem found earlier, checked again per tick until it is gone. */
  openProblems: number;
}

/** 200 loans per 10-minute tick cover 28,800 loans a day; raise it with the book. */
export const SWEEP_SIZES: SweepSizes = {
  rolling: 200,
  changed: 500,
  seals: 20,
  sealedHeads: 5_000,
  resealedHeads: 200,
  openProblems: 100,
};

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
  /** The rolling pass over every voucher (finds one without head or payout) resumes after this `_id`. */
  vouchersAfter: string;
  /** Chains with an `updatedAt` from here on are swept next. */
  changedSince: number;
  /** The last new seal verified intact. */
  seals: SealCursor;
  /**
   * The rolling pass checking old seals again resumes after this one (`seq` 0: from the first): a tail
   * cut off a chain, with its head set back, verifies as a chain and is seen only against its seal.
   */
  resealed: SealCursor;
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

/** What a sweep needs: the database and the time. */
export interface SweepDeps {
  docs: DocStore;
  now(): number;
}

const START: SweepCursor = {
  _id: CURSOR_ID,
  chainsAfter: '',
  payoutsAfter: '',
  vouchersAfter: '',
  changedSince: 0,
  seals: FIRST_SEAL,
  resealed: FIRST_SEAL,
  open: [],
};

/** Loans with open problems the cursor keeps (its document stays small; the rolling passes find more). */
const MAX_OPEN = 1_000;

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

/** Whether two cursors stand at the same place. */
function samePlace(a: SweepCursor, b: SweepCursor): boolean {
  const place = (c: SweepCursor): unknown[] => [
    c.chainsAfter,
    c.payoutsAfter,
    c.vouchersAfter,
    c.changedSince,
    c.seals.seq,
    c.seals.hash,
    c.resealed.seq,
    c.resealed.hash,
    ...c.open,
  ];
  const [x, y] = [place(a), place(b)];
  return x.length === y.length && x.every((v, i) => v === y[i]);
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
 * or a repayment moves its loan's head); the next `rolling` chain heads, payouts and vouchers of three
 * rolling passes (so an edit in the console that moves no `updatedAt`, to an old voucher, a head or a
 * payout, or a voucher of no loan, is found within one lap); the seals written since the last one
 * verified, and old seals again (a rolling pass: a tail cut off with its head set back shows only
 * there), with every chain they name; and the loans of problems still open. Each chain and loan taken
 * is checked whole, its links against its head and its ledger against its bills, with the functions
 * `checkLedger` uses; what fails is read and checked once more before it is reported (a booking
 * committing between the reads is not a problem). Pending bookings are the reconcile pass's own
 * (`BOOKING_FAILED` each pass; `BOOKING_OVERDUE` here when a rolling pass reaches one). The cursor is
 * written only when it moved.
 */
export async function sweepLedger(deps: SweepDeps, sizes: SweepSizes = SWEEP_SIZES): Promise<SweepReport> {
  const store = deps.docs;
  const now = deps.now();
  const stored = await store.get<SweepCursor>(C.ledgerSweeps, CURSOR_ID);
  const cursor: SweepCursor = { ...START, ...stored };
  const [rollingHeads, rollingPayouts, rollingVouchers, changedHeads, newPage, oldPage] = await Promise.all([
    pageAfter<ChainHead>(store, C.ledgerHeads, {}, cursor.chainsAfter, sizes.rolling),
    pageAfter<PayoutDoc & StoredDoc>(store, C.payouts, {}, cursor.payoutsAfter, sizes.rolling),
    pageAfter<Voucher & StoredDoc>(store, C.ledgerVouchers, {}, cursor.vouchersAfter, sizes.rolling),
    store.find<ChainHead>(
      C.ledgerHeads,
      { updatedAt: { $gte: cursor.changedSince } },
      ascending('updatedAt', sizes.changed),
    ),
    sealsFrom(store, cursor.seals, sizes.seals + 1),
    sealsFrom(store, cursor.resealed, sizes.seals + 1),
  ]);
  const newStop = afterStop(newPage, cursor.seals);
  const newSeals = takeSeals(newStop.rest, sizes.sealedHeads);
  // The pass over old seals: a whole lap taken reaches the newest seal, and the next starts again from
  // the first; a seal it stopped at that is not as verified is reported, and the lap from the first
  // reaches it again.
  const oldStop = afterStop(oldPage, cursor.resealed);
  const resealed = takeSeals(oldStop.rest, sizes.resealedHeads);
  const lapDone = oldPage.length < sizes.seals + 1 && resealed.length === oldStop.rest.length;
  const subjects: Subjects = { loans: new Set(), chains: new Set() };
  for (const id of cursor.open.slice(0, sizes.openProblems)) addLoan(subjects, id);
  for (const h of [...rollingHeads, ...changedHeads]) addChain(subjects, h._id);
  for (const p of rollingPayouts) addLoan(subjects, p._id);
  for (const v of rollingVouchers) addVoucher(subjects, v);
  for (const seal of [...newSeals, ...resealed]) for (const h of seal.heads) addChain(subjects, h.chain);
  const books = await readBooks(
    store,
    subjects,
    {
      docs: new Map([...rollingHeads, ...changedHeads].map((h) => [h._id, h])),
      absent: readWhole(cursor.chainsAfter, rollingHeads, sizes.rolling),
    },
    {
      docs: new Map(rollingPayouts.map((p) => [p._id, p])),
      absent: readWhole(cursor.payoutsAfter, rollingPayouts, sizes.rolling),
    },
  );
  let problems = bookProblems(books, now);
  const refs = [...books.vouchers];
  if (problems.length > 0) {
    // Read what fails again, fresh: a booking that committed between the reads above (heads first,
    // vouchers after) is not a problem; only what fails again is reported.
    const fresh = await readBooks(store, subjectsOf(problems, refs), nothingInHand(), nothingInHand());
    refs.push(...fresh.vouchers);
    problems = bookProblems(fresh, now);
  }
  const keys = auditKeys();
  const newSealProblems = newStop.problem
    ? [newStop.problem]
    : verifySeals(keys, newSeals, books.vouchers, cursor.seals);
  const oldSealProblems = oldStop.problem
    ? [oldStop.problem]
    : verifySeals(keys, resealed, books.vouchers, cursor.resealed);
  problems = [...problems, ...newSealProblems, ...oldSealProblems];
  const lastNew = newSeals.at(-1);
  const lastOld = resealed.at(-1);
  // Open problems not checked this tick wait first in line for the next; at most MAX_OPEN are kept
  // (beyond, the rolling passes find the rest again).
  const open = [...new Set([...cursor.open.slice(sizes.openProblems), ...subjectsOf(problems, refs).loans])];
  const next: SweepCursor = {
    _id: CURSOR_ID,
    chainsAfter: resumeAfter(rollingHeads, sizes.rolling),
    payoutsAfter: resumeAfter(rollingPayouts, sizes.rolling),
    vouchersAfter: resumeAfter(rollingVouchers, sizes.rolling),
    // Nothing changed: the window stays. All of it read: from the sweep's start, less the commit lag.
    // A full page: from its last change (one more millisecond when the whole page shares it, so the pass
    // moves on; the rest of that millisecond is left to the rolling passes).
    changedSince:
      changedHeads.length === 0
        ? cursor.changedSince
        : changedHeads.length < sizes.changed
          ? Math.max(cursor.changedSince, now - COMMIT_LAG_MS)
          : nextChangedSince(changedHeads),
    // A seal that fails keeps its pass where it is, so it is reported every tick until repaired.
    seals: newSealProblems.length === 0 && lastNew ? { seq: lastNew.seq, hash: lastNew.hash } : cursor.seals,
    // The same for old seals, but a seal the pass stopped at that is gone or changed starts it again
    // from the first (where the lap reaches the change and then stays at it).
    resealed: oldStop.problem
      ? FIRST_SEAL
      : oldSealProblems.length > 0
        ? cursor.resealed
        : lapDone
          ? FIRST_SEAL
          : lastOld
            ? { seq: lastOld.seq, hash: lastOld.hash }
            : cursor.resealed,
    open: open.slice(0, MAX_OPEN),
  };
  await saveCursor(store, stored, next);
  return { problems, loans: subjects.loans.size, cursor: next };
}

/** Where the changed pass resumes after a full page (sorted by `updatedAt`). */
function nextChangedSince(page: readonly ChainHead[]): number {
  const first = page[0]?.updatedAt ?? 0;
  const last = page.at(-1)?.updatedAt ?? first;
  return last === first ? last + 1 : last;
}
