import type { TransferState } from '../../typings/payout';
import { disbursementVoucher } from '../ledger/voucher';
import { canMove, isConfirmedUnpaid, isFinal } from './bill-state';
import { failureText, MANUAL_NEXT_STEP } from './messages';
import type { PayoutBill, PayoutDoc } from './payout-doc';
import type { PayoutCommit, PayoutSettings } from './ports';

/** Something WeChat told us about a bill (create answer, query, or verified notification). */
export interface BillObservation {
  outBillNo: string;
  state: TransferState;
  /** `create`, `query`, `notify`, `cancel`. */
  source: string;
  transferBillNo?: string;
  packageInfo?: string;
  failReason?: string;
}

/**
 * Applies an observation to a payout: the one place deciding what a bill state change writes
 * (bill phase, payout status, loan status, ledger voucher, borrower message, audit event).
 * Returns undefined when nothing changes (duplicates, stale or backwards reports), so applying the
 * same observation k times equals applying it once.
 */
export function applyObservation(
  doc: PayoutDoc,
  obs: BillObservation,
  now: number,
  settings: PayoutSettings,
): PayoutCommit | undefined {
  const index = doc.bills.findIndex((b) => b.outBillNo === obs.outBillNo);
  const bill = doc.bills[index];
  if (!bill) return undefined;
  const fills = missingDetails(bill, obs);
  const moves = bill.phase !== obs.state && canMove(bill.phase, obs.state);
  if (!moves && Object.keys(fills).length === 0) return undefined;

  const nextBill: PayoutBill = { ...bill, ...fills, updatedAt: now };
  const commit: PayoutCommit = {
    expectedVersion: doc.version,
    next: doc,
    events: [],
    vouchers: [],
  };
  let next: PayoutDoc = { ...doc, updatedAt: now, version: doc.version + 1 };

  if (moves) {
    nextBill.phase = obs.state;
    nextBill.history = [...bill.history, { at: now, from: bill.phase, to: obs.state, source: obs.source }];
    if (bill.phase === 'INTENT') nextBill.acceptedAt = now;
    if (isFinal(obs.state)) nextBill.finalAt = now;
    if (obs.failReason) nextBill.failReason = obs.failReason;
    commit.events.push({
      type: `payout.bill.${obs.state}`,
      actor: { id: `system:${obs.source}`, type: 'system' },
      detail: { loanId: doc._id, outBillNo: bill.outBillNo, from: bill.phase, to: obs.state },
    });
    next = { ...next, ...statusEffects(doc, nextBill, commit, settings) };
    // A final phase is asked about once more by the reconciler (our record must equal WeChat's).
    if (isFinal(obs.state)) next.finalCheck = true;
  }
  const bills = [...doc.bills];
  bills[index] = nextBill;
  const last = bills[bills.length - 1];
  commit.next = { ...next, bills, open: last ? !isFinal(last.phase) : false };
  return commit;
}

/** Details WeChat gave that we did not hold yet (e.g. package_info after a lost create reply). */
function missingDetails(bill: PayoutBill, obs: BillObservation): Partial<PayoutBill> {
  const fills: Partial<PayoutBill> = {};
  if (obs.transferBillNo && !bill.transferBillNo) fills.transferBillNo = obs.transferBillNo;
  // WeChat may hand out package_info already with ACCEPTED; it is only shown once WAIT_USER_CONFIRM.
  if (obs.packageInfo && !bill.packageInfo && !isFinal(bill.phase)) fills.packageInfo = obs.packageInfo;
  return fills;
}

/** Payout status, loan status, voucher and message that follow from the bill's new phase. */
function statusEffects(
  doc: PayoutDoc,
  bill: PayoutBill,
  commit: PayoutCommit,
  settings: PayoutSettings,
): Partial<PayoutDoc> {
  if (bill.phase === 'SUCCESS') {
    commit.vouchers.push(disbursementVoucher(doc._id, bill.outBillNo, bill.amount));
    commit.loanStatus = { to: 'disbursed', note: '借款已到账微信零钱' };
    return { status: 'succeeded', reason: undefined };
  }
  if (isConfirmedUnpaid(bill.phase)) {
    const text = failureText(bill.phase, bill.failReason);
    const exhausted = bill.attempt >= settings.maxAttempts;
    const keepManual = doc.status === 'manual';
    commit.release = {
      day: bill.reservedDay,
      key: bill.outBillNo,
      openid: doc.borrowerOpenid,
      amount: bill.amount,
    };
    const nextStep = exhausted || keepManual ? MANUAL_NEXT_STEP : text.nextStep;
    commit.loanStatus = { to: 'disbursement_failed', note: `${text.reason}。${nextStep}` };
    return { status: exhausted || keepManual ? 'manual' : 'failed', reason: text.reason };
  }
  if (bill.phase === 'WAIT_USER_CONFIRM') {
    commit.loanStatus = { to: 'awaiting_confirmation', note: '待确认收款：请在24小时内点击“确认收款”' };
  }
  return {};
}
