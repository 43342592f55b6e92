import { runReconcileTick } from '../../server/payout/reconcile-tick';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { callerVerdict, TIMER_ENTRY } from '../../server/runtime/caller-table';
import { refusal } from '../../server/runtime/handler';
import type { ApiResult } from '../../typings/api';

/**
 * `reconcile`: timer tick (or console run) settling every open bill and checking the ledger against
 * the bills. The caller table refuses anyone else — a borrower above all — before the database or
 * WeChat Pay is touched.
 */
export async function main(
  event: unknown,
): Promise<Awaited<ReturnType<typeof runReconcileTick>> | ApiResult<never>> {
  if (callerVerdict('reconcile', TIMER_ENTRY, currentCaller(), event) !== 'allow')
    return refusal('reconcile');
  return runReconcileTick(payoutRuntimeFromEnv());
}
