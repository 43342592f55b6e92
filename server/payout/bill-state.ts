import { TRANSFER_BILL_STATES } from '../wechatpay/transfer-types';
import type { BillPhase, TransferState } from '../../typings/payout';

/** States after which nothing changes. */
export const FINAL_STATES: ReadonlySet<BillPhase> = new Set(['SUCCESS', 'FAIL', 'CANCELLED']);

/** Every state WeChat can report (the client library's list; one place decides it). */
export const TRANSFER_STATES: readonly TransferState[] = TRANSFER_BILL_STATES;

/**
 * The one table of allowed bill phase changes. WeChat's states only move forward; a stale query
 * answering an earlier state than we already hold is ignored rather than applied.
 */
const ALLOWED: Record<BillPhase, readonly BillPhase[]> = {
  INTENT: TRANSFER_STATES,
  ACCEPTED: ['PROCESSING', 'WAIT_USER_CONFIRM', 'TRANSFERING', 'SUCCESS', 'FAIL', 'CANCELING', 'CANCELLED'],
  PROCESSING: ['WAIT_USER_CONFIRM', 'TRANSFERING', 'SUCCESS', 'FAIL', 'CANCELING', 'CANCELLED'],
  WAIT_USER_CONFIRM: ['TRANSFERING', 'SUCCESS', 'FAIL', 'CANCELING', 'CANCELLED'],
  // A cancel races the borrower's confirmation: either may win.
  CANCELING: ['TRANSFERING', 'SUCCESS', 'FAIL', 'CANCELLED'],
  TRANSFERING: ['SUCCESS', 'FAIL'],
  SUCCESS: [],
  FAIL: [],
  CANCELLED: [],
};

/** True when the bill can no longer change. */
export function isFinal(phase: BillPhase): boolean {
  return FINAL_STATES.has(phase);
}

/** True when moving from `from` to `to` is allowed (same phase is not a change). */
export function canMove(from: BillPhase, to: BillPhase): boolean {
  return ALLOWED[from].includes(to);
}

/** True when WeChat has confirmed the bill will never pay, so a new bill number may be issued. */
export function isConfirmedUnpaid(phase: BillPhase): boolean {
  return phase === 'FAIL' || phase === 'CANCELLED';
}

/** True for states in which WeChat still accepts a cancel (before the borrower confirms). */
export function isCancellable(phase: BillPhase): boolean {
  return phase === 'ACCEPTED' || phase === 'PROCESSING' || phase === 'WAIT_USER_CONFIRM';
}

/** True while the borrower has not confirmed (the states in which a confirmation could be shown). */
export function isBeforeConfirmation(phase: BillPhase): boolean {
  return phase === 'INTENT' || phase === 'CANCELING' || isCancellable(phase);
}
