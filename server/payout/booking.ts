import type { BillObservation } from './observe';
import type { PayoutDoc, PendingBooking } from './payout-doc';
import type { PayoutCommit } from './ports';

/**
 * "Answer at the decision, continue durably after" for WeChat's notifications: the notification
 * records the bill's final state on the payout (one conditional update of the payout alone, its
 * audit record waiting in it) together with what that state books — the ledger voucher, the loan's move, the limit
 * release — as a pending booking. The booking is one transaction of its own, committed by the next
 * `payout.progress` call, by any other change of the payout (first), or by the reconcile timer.
 */

/** A booking pending longer than this is reported by the ledger check (the timer books every tick). */
export const BOOKING_OVERDUE_MS = 5 * 60_000;

/** Whether what `obs` books waits for a later transaction: notifications answer WeChat at once. */
export function isBookedLater(obs: BillObservation): boolean {
  return obs.source === 'notify';
}

/**
 * Moves what `commit` (decided on `doc`) books — vouchers, loan status, limit release — onto the
 * payout as a pending booking, so the commit writes only the payout and its audit records. Unchanged
 * when it books nothing, or when the payout already holds a booking (then everything is booked at once).
 */
export function deferBooking(commit: PayoutCommit, doc: PayoutDoc, now: number): PayoutCommit {
  const { vouchers, loanStatus, release, ...rest } = commit;
  if (commit.next.bookingPending || (vouchers.length === 0 && !loanStatus && !release)) return commit;
  const booking: PendingBooking = {
    vouchers,
    actor: commit.events[0]?.actor ?? { id: 'system:payout', type: 'system' },
    recordedAt: now,
    ...(loanStatus ? { loanStatus } : {}),
    ...(release ? { release } : {}),
  };
  // What is left changes the payout alone: one conditional update (payout-alone.ts) when it removes
  // no field the payout holds (a field cleared that it never held is simply left out).
  const next = Object.fromEntries(
    Object.entries({ ...commit.next, bookingPending: true, booking }).filter(
      ([key, value]) => value !== undefined || key in doc,
    ),
  ) as unknown as PayoutDoc;
  return { ...rest, vouchers: [], next, alone: true };
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
