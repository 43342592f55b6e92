import { dispatchActions } from '../../server/runtime/handler';
import { currentCaller } from '../../server/runtime/cloud';
import { payoutActions } from '../../server/payout/actions';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';

/** `payout`: start (server only), progress and retry (the payee only). */
export const main = dispatchActions(
  payoutActions(() => payoutRuntimeFromEnv()),
  currentCaller,
  {},
  { fn: 'payout' },
);
