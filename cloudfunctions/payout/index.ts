import { dispatchActions } from '../../server/runtime/handler';
import { currentCaller } from '../../server/runtime/cloud';
import { payoutActions } from '../../server/payout/actions';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { authenticateOperator } from '../../server/ops/operator-auth';

/**
 * `payout`: start (server only), progress and retry (the payee only), and the operator payout
 * actions and bill cancels `ops`/`workbench` hand over — the only function holding the merchant's keys.
 */
export const main = dispatchActions(
  payoutActions(() => payoutRuntimeFromEnv()),
  currentCaller,
  {},
  {
    fn: 'payout',
    resolveOperator: (caller, name) => {
      const rt = payoutRuntimeFromEnv();
      return authenticateOperator(rt.docs, rt.deps.clock, caller, name);
    },
  },
);
