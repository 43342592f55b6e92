import type { BillObservation } from './observe';
import type { PayoutDoc, PendingBooking } from './payout-doc';
import type { PayoutCommit } from './ports';

/**
 * "Answer at the decision, continue durably after" for WeChat's notifications and for a bill becoming
 * confirmable: the observation records the bill's state on the payout (one conditional update of the
 * payout alone, its audit record waiting in it) together with what that state books — the ledger
 * voucher, the loan's move and its message, the limit release — as a pending booking. The booking is
 * one transaction of its own, committed by the next `payout.progress` call, by any other change of the
 * payout (first), or by the reconcile timer; a later deferred state is merged into it.
 */

/** A booking pending longer than this is reported by the ledger check (the timer books every tick). */
export const BOOKING_OVERDUE_MS = 5 * 60_000;

/**
 * Whether what `obs` books waits for a later transaction: notifications answer WeChat at once, and a
 * bill becoming confirmable is shown at once to the borrower waiting for it (the confirmation lives
 * on the payout); the loan's `awaiting_confirmation` step and its 待确认收款 message follow in the
 * booking. With nobody waiting (the timer, an operator's start) it is booked with the state.
 */
export function isBookedLater(obs: BillObservation, borrowerWaits: boolean): boolean {
  return obs.source === 'notify' || (borrowerWaits && obs.state === 'WAIT_USER_CONFIRM');
}

/**
 * Moves what `commit` (decided on `doc`) books — vouchers, loan status, limit release — onto the
 * payout as a pending booking, so the commit writes only the payout and its audit records. A booking
 * the payout already holds is carried in it (`carriesBooking`: the writer does not book it first):
 * e.g. a bill confirmed and paid before anyone booked its `awaiting_confirmation` step books the loan
 * straight to where the payment leaves it, in one transaction. Unchanged when it books nothing.
 */
export function deferBooking(commit: PayoutCommit, doc: PayoutDoc, now: number): PayoutCommit {
  const { vouchers, loanStatus, release, ...rest } = commit;
  if (vouchers.length === 0 && !loanStatus && !release) return commit;
  const held = doc.bookingPending ? doc.booking : undefined;
  // Only the awaiting_confirmation step is ever carried on (and superseded); any other pending booking
  // is booked first, in order (the writer does so when the commit does not carry it).
  if (held && !isStepOnly(held)) return commit;
  const moveTo = loanStatus ?? held?.loanStatus;
  const booking: PendingBooking = {
    vouchers,
    actor: commit.events[0]?.actor ?? { id: 'system:payout', type: 'system' },
    // A booking overdue stays overdue: the step's recording time is kept.
    recordedAt: held?.recordedAt ?? now,
    ...(moveTo ? { loanStatus: moveTo } : {}),
    ...(release ? { release } : {}),
  };
  // What is left changes the payout alone: one conditional update (payout-alone.ts) when it removes
  // no field the payout holds (a field cleared that it never held is simply left out).
  const next = Object.fromEntries(
    Object.entries({ ...commit.next, bookingPending: true, booking }).filter(
      ([key, value]) => value !== undefined || key in doc,
    ),
  ) as unknown as PayoutDoc;
  return { ...rest, vouchers: [], next, alone: true, ...(held ? { carriesBooking: true } : {}) };
}

/**
 * The commit that books the payout's pending booking on the version in hand, clearing it in the
 * same transaction (so it books exactly once), with one audit record of the booking; undefined
 * when nothing is pending.
 */
export function bookingCommit(doc: PayoutDoc, now: number): PayoutCommit | undefined {
  const booking = doc.bookingPending ? doc.booking : undefined;
  if (!booking) return undefined;
  const { booking: _booked, bookingPending: _pending, ...rest } = doc;
  return {
    expectedVersion: doc.version,
    next: { ...rest, version: doc.version + 1, updatedAt: now },
    vouchers: booking.vouchers,
    ...(booking.loanStatus ? { loanStatus: booking.loanStatus } : {}),
    ...(booking.release ? { release: booking.release } : {}),
    events: [
      {
        type: 'payout.booked',
        actor: booking.actor,
        detail: {
          loanId: doc._id,
          vouchers: booking.vouchers.length,
          loanStatus: booking.loanStatus?.to ?? '',
          recordedAt: booking.recordedAt,
        },
      },
    ],
  };
}

/**
 * `commit` (decided on `doc`) with the booking `doc` holds folded into its own transaction, when that
 * booking is only the loan's `awaiting_confirmation` step (no voucher, no release): the commit's own
 * loan move supersedes it (the transition table lets the loan skip a step it never showed), and one
 * `payout.booked` record notes it. Undefined when there is nothing to fold, or when the booking moves
 * money and must be committed first.
 */
export function withPendingStepFolded(
  commit: PayoutCommit,
  doc: PayoutDoc,
  now: number,
): PayoutCommit | undefined {
  const step = bookingCommit(doc, now);
  const booking = doc.booking;
  // A commit that books or carries the booking itself (bookingCommit, deferBooking) is left as it is.
  if (!step || !booking || !isStepOnly(booking) || !commit.next.bookingPending || commit.carriesBooking)
    return undefined;
  const { booking: _booked, bookingPending: _pending, ...next } = commit.next;
  const loanStatus = commit.loanStatus ?? booking.loanStatus;
  return {
    ...commit,
    next: next as PayoutDoc,
    loanStatus,
    // The booking record first: it notes what was pending before the commit's own change.
    events: [...step.events, ...commit.events],
    alone: false,
  };
}

/** A booking that is only the loan's awaiting_confirmation step: no voucher, no release. */
function isStepOnly(booking: PendingBooking): boolean {
  return (
    booking.vouchers.length === 0 && !booking.release && booking.loanStatus?.to === 'awaiting_confirmation'
  );
}
