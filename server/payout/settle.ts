import type { TransferState } from '../../typings/payout';
import { deferBooking, isBookedLater } from './booking';
import { applyObservation, type BillObservation } from './observe';
import { currentBill, type PayoutBill, type PayoutDoc } from './payout-doc';
import type { PayoutCommit, PayoutDeps } from './ports';
import { bookPayout, writePayout } from './write';

/** How an observation is applied. */
export interface SettleOptions {
  /** The observation is a create answer: its call is counted on the bill. */
  countCall?: boolean;
  /** The payout as just read: the first decision uses it instead of reading again (a lost race reads afresh). */
  inHand?: PayoutDoc;
  /** A borrower waits for this answer: a bill becoming confirmable leaves its booking for after (booking.ts). */
  borrowerWaits?: boolean;
}

/**
 * Applies what WeChat said about a bill, idempotently, under a conditional write. A notification's
 * bookings, and a confirmable bill's when a borrower waits, are left pending on the payout
 * (booking.ts). Returns the stored payout, or undefined for an unknown bill.
 */
export async function settle(
  deps: PayoutDeps,
  obs: BillObservation,
  { countCall = false, inHand, borrowerWaits = false }: SettleOptions = {},
): Promise<PayoutDoc | undefined> {
  let first = inHand?.billNos.includes(obs.outBillNo) ? inHand : undefined;
  return writePayout(
    deps,
    async () => {
      const doc = first ?? (await deps.store.findByBillNo(obs.outBillNo));
      first = undefined;
      return doc;
    },
    (doc) => {
      const now = deps.clock.now();
      const observed = applyObservation(doc, obs, now, deps.settings);
      const deferred =
        observed && isBookedLater(obs, borrowerWaits) ? deferBooking(observed, doc, now) : observed;
      const commit = countCall ? withCreateCounted(deferred, doc, obs.outBillNo, now) : deferred;
      // Every observation may be one conditional update of the payout alone (e.g. ACCEPTED from the
      // create, PROCESSING from a query); the store keeps the transaction for a commit that moves a
      // loan, a counter or a voucher (e.g. WAIT_USER_CONFIRM).
      return commit && { ...commit, alone: true };
    },
  );
}

/** `commit` (or a bare version step when the answer changed nothing) with the create call counted on its bill. */
function withCreateCounted(
  commit: PayoutCommit | undefined,
  doc: PayoutDoc,
  outBillNo: string,
  now: number,
): PayoutCommit {
  const base = commit ?? {
    expectedVersion: doc.version,
    next: { ...doc, version: doc.version + 1, updatedAt: now },
    events: [],
    vouchers: [],
  };
  return {
    ...base,
    next: {
      ...base.next,
      bills: base.next.bills.map((b) =>
        b.outBillNo === outBillNo ? { ...b, createCalls: b.createCalls + 1, lastError: undefined } : b,
      ),
    },
  };
}

/** Asks WeChat where the bill stands: the observation to apply, or why there is none. */
export async function queryBill(
  deps: PayoutDeps,
  bill: PayoutBill,
): Promise<BillObservation | 'not_found' | 'ambiguous' | 'mismatch'> {
  const found = await deps.transfer.query(bill.outBillNo);
  if (found.kind !== 'found') return found.kind;
  if (found.amount !== bill.amount || found.openid !== bill.openid) return 'mismatch';
  const obs: BillObservation = { outBillNo: bill.outBillNo, state: found.state, source: 'query' };
  if (found.transferBillNo) obs.transferBillNo = found.transferBillNo;
  if (found.packageInfo) obs.packageInfo = found.packageInfo;
  if (found.failReason) obs.failReason = found.failReason;
  return obs;
}

/** What a query of one bill found, with the payout as stored afterwards (no read back). */
export interface QuerySettled {
  result: 'settled' | 'not_found' | 'ambiguous' | 'mismatch';
  doc: PayoutDoc;
  /** The state WeChat answered (when it answered one). */
  state?: TransferState;
}

/**
 * Asks WeChat where the bill of `doc` (the payout in hand) stands and applies it; "not found" changes
 * nothing. Answers the payout as it is now: unchanged when nothing changed, never re-read.
 */
export async function querySettled(
  deps: PayoutDeps,
  doc: PayoutDoc,
  outBillNo: string,
  borrowerWaits = false,
): Promise<QuerySettled> {
  const bill = doc.bills.find((b) => b.outBillNo === outBillNo);
  if (!bill) return { result: 'not_found', doc };
  const obs = await queryBill(deps, bill);
  if (typeof obs === 'string') return { result: obs, doc };
  return {
    result: 'settled',
    doc: (await settle(deps, obs, { inHand: doc, borrowerWaits })) ?? doc,
    state: obs.state,
  };
}

/** A confirmation package younger than this is shown as stored (the borrower just got it). */
export const PROGRESS_FRESH_PACKAGE_MS = 5_000;
/** At most one progress-driven WeChat query per bill in this interval. */
export const PROGRESS_QUERY_EVERY_MS = 5_000;

/**
 * Brings our record up to date with WeChat before showing it (WeChat only notifies final states,
 * so WAIT_USER_CONFIRM is learnt by asking). A bill waiting for confirmation for more than a few
 * seconds is asked about too (rate-limited per bill), so a lost final notification never leaves a
 * stale confirm button. Never creates anything; failures leave it as it was. Takes the document in
 * hand when given and never reads it again: the settle answers what it stored. A booking left
 * pending by a notification is committed first (the progress page polls while transferring).
 */
export async function refreshPayout(
  deps: PayoutDeps,
  loan: PayoutDoc | string,
): Promise<PayoutDoc | undefined> {
  const held = typeof loan === 'string' ? await deps.store.get(loan) : loan;
  // A booking that fails here is the timer's to retry and report (BOOKING_FAILED); the borrower still sees the state.
  const doc = held && (await bookPayout(deps, held).catch(() => held));
  if (!doc?.open) return doc;
  const bill = currentBill(doc);
  if (bill.phase === 'WAIT_USER_CONFIRM' && bill.packageInfo) {
    const now = deps.clock.now();
    if (now - (bill.acceptedAt ?? bill.createdAt) < PROGRESS_FRESH_PACKAGE_MS) return doc;
    if (!(await deps.store.claimProgressQuery(bill.outBillNo, now, PROGRESS_QUERY_EVERY_MS))) return doc;
  }
  const settled = await querySettled(deps, doc, bill.outBillNo, true).catch(() => undefined);
  return settled?.doc ?? doc;
}
