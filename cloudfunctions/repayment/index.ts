import { repaymentActions } from '../../server/repayment/actions';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

/** `repayment`: schedule, quote, pay, history — the borrower's own loan only. */
export const main = dispatchActions(
  repaymentActions(() => repaymentDepsFromEnv()),
  currentCaller,
  {},
  { fn: 'repayment' },
);
