import type { BillPhase } from '../../typings/payout';
import { AppError } from '../runtime/app-error';
import { isCancellable, isFinal } from './bill-state';
import { currentBill, type PayoutBill } from './payout-doc';
import { storePayoutReport } from './payout-reports';
import type { ReconcileFinding } from './reconcile';
import { queryBill, settle } from './settle';
import type { PayoutRuntime } from './wiring';

/**
 * The operators' report line for a bill marked at a freeze or blacklisting that the borrower had
 * already confirmed: it is left to finish (WeChat no longer cancels it), and operators are told.
 */
export function confirmedBeforeBlock(loanId: string, bill: PayoutBill): ReconcileFinding {
  return {
    loanId,
    outBillNo: bill.outBillNo,
    code: 'CONFIRMED_BEFORE_BLOCK',
    detail: `${bill.cancelFor ?? 'BLOCKED'}: borrower confirmed before the cancel; bill left to finish (${bill.phase})`,
  };
}

/**
 * Runs after a freeze or blacklisting committed (never inside its transaction): asks WeChat to
 * cancel each marked bill the borrower has not confirmed. An accepted cancel is settled as
 * answered (CANCELING is not final; the reconciler follows it to CANCELLED); a lost or ambiguous
 * one is left to the reconciler, which resends it. When WeChat refuses because the borrower already
 * confirmed, the bill's real state is applied and the event is stored in `payoutReports`.
 * Never throws: failures are logged by code and the reconciler is the backstop.
 */
export async function cancelBlockedPayouts(
  runtime: () => PayoutRuntime,
  loanIds: readonly string[],
): Promise<void> {
  for (const loanId of loanIds) {
    try {
      await cancelBlockedPayout(runtime(), loanId);
    } catch (error) {
      const code = error instanceof AppError ? error.code : (error as Error).name;
      console.warn(`[payout] cancel after block not completed: ${code}`);
    }
  }
}

async function cancelBlockedPayout(rt: PayoutRuntime, loanId: string): Promise<void> {
  const { deps } = rt;
  const doc = await deps.store.get(loanId);
  if (!doc) return;
  const bill = currentBill(doc);
  // INTENT: WeChat may not know the bill yet; the reconciler resends it and then cancels it.
  if (!bill.cancelFor || isFinal(bill.phase) || bill.phase === 'CANCELING' || bill.phase === 'INTENT') return;
  let phase: BillPhase = bill.phase;
  if (isCancellable(bill.phase)) {
    const outcome = await deps.transfer.cancel(bill.outBillNo);
    if (outcome.kind === 'accepted') {
      await settle(deps, { outBillNo: bill.outBillNo, state: outcome.state, source: 'cancel' });
      return;
    }
    if (outcome.kind === 'ambiguous') return;
    // Refused: WeChat holds the bill in a state that no longer cancels; learn which.
    const obs = await queryBill(deps, bill);
    if (typeof obs === 'string') return;
    await settle(deps, obs);
    phase = obs.state;
  }
  if (phase === 'TRANSFERING' || phase === 'SUCCESS') {
    const at = deps.clock.now();
    const finding = confirmedBeforeBlock(loanId, { ...bill, phase });
    await storePayoutReport(rt.docs, `block-${bill.outBillNo}`, at, {
      examined: 1,
      settled: phase === 'SUCCESS' ? 1 : 0,
      findings: [finding],
    });
    console.warn(`[payout] ${finding.code} ${loanId}`);
  }
}
