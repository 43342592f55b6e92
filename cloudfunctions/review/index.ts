import { sealAudit } from '../../server/audit/seal';
import { sealLedger } from '../../server/ledger/append';
import type { LoanDeps } from '../../server/loan/deps';
import { reviewActions, reviewStuck } from '../../server/loan/review-function';
import { reviewingLoanDepsFromEnv } from '../../server/bureau/wiring';
import { deliverAfterChange } from '../../server/outbox/trigger';
import { withPayoutStart } from '../../server/payout/after-approval';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions, refusal } from '../../server/runtime/handler';
import { callerVerdict, TIMER_ENTRY } from '../../server/runtime/caller-table';
import type { ApiResult } from '../../typings/api';

let deps: LoanDeps | undefined;

/** Wired once per instance. */
function loanDeps(): LoanDeps {
  deps ??= reviewingLoanDepsFromEnv();
  return deps;
}

// An automatic approval starts the payout once its transaction has committed.
const afterChange = withPayoutStart(deliverAfterChange(loanDeps), () => payoutRuntimeFromEnv());
const dispatch = dispatchActions(
  reviewActions(loanDeps, afterChange),
  currentCaller,
  { unknownAction: 'Unknown action', invalidInput: 'Invalid input' },
  { fn: 'review' },
);

/** Automated review: `review` one application, `sweep` stuck ones; the timer sweeps and seals the audit. Never from a client. */
export async function main(event: unknown): Promise<ApiResult<unknown>> {
  if ((event as { Type?: unknown } | null)?.Type === 'Timer') {
    // The caller table, before any database access: only a real timer trigger sweeps.
    if (callerVerdict('review', TIMER_ENTRY, currentCaller(), event) !== 'allow') return refusal('review');
    try {
      const d = loanDeps();
      const reviewed = await reviewStuck(d);
      // The same minute timer seals the audit and the ledger: every chain head changed since the last seal.
      const at = d.clock.now();
      const [sealed, ledger] = await Promise.all([sealAudit(d.store, at), sealLedger(d.store, at)]);
      return { ok: true, data: { ...reviewed, ...sealed, ledgerSealed: ledger.sealed } };
    } catch (error) {
      console.error(`[review] sweep failed: ${(error as Error).name}`);
      return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'sweep failed' } };
    }
  }
  return dispatch(event);
}
