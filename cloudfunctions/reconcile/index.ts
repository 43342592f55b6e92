import { runReconcileTick } from '../../server/payout/reconcile-tick';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';

/** `reconcile`: timer tick settling every open bill and checking the ledger against the bills. */
export async function main(): ReturnType<typeof runReconcileTick> {
  return runReconcileTick(payoutRuntimeFromEnv());
}
