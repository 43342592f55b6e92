import { z } from 'zod';
import { action } from '../runtime/handler';
import type { Caller } from '../runtime/caller';
import { loanIdSchema } from './actions';
import { payoutOps, payoutOpsInputs, historyView } from './ops-actions';
import { startPayoutForApplication } from './start';
import type { PayoutRuntime } from './wiring';

/** Authenticates the calling operator (the ops function's own check); answers the operator's id. */
export type AuthenticateOperator = (caller: Caller, action: string) => Promise<{ id: string }>;

/**
 * The payout actions the `ops` function registers next to its own: start, retry, cancel, hold,
 * history, list (stuck / failed / held) and reconcile. Each authenticates the operator first; each is audited.
 */
export function payoutOpsActions(runtime: () => PayoutRuntime, authenticate: AuthenticateOperator) {
  return {
    /** Starts (or resumes) the payout of an approved application. */
    payoutStart: action({
      input: z.strictObject({ loanId: loanIdSchema }),
      run: async (input, caller) => {
        const operator = await authenticate(caller, 'payoutStart');
        const rt = runtime();
        return historyView(
          await startPayoutForApplication(rt.deps, rt.docs, input.loanId, {
            id: operator.id,
            type: 'operator',
          }),
        );
      },
    }),
    payoutRetry: action({
      input: payoutOpsInputs.payoutRetry,
      run: async (input, caller) =>
        payoutOps.payoutRetry(runtime(), (await authenticate(caller, 'payoutRetry')).id, input),
    }),
    payoutCancel: action({
      input: payoutOpsInputs.payoutCancel,
      run: async (input, caller) =>
        payoutOps.payoutCancel(runtime(), (await authenticate(caller, 'payoutCancel')).id, input),
    }),
    payoutHold: action({
      input: payoutOpsInputs.payoutHold,
      run: async (input, caller) =>
        payoutOps.payoutHold(runtime(), (await authenticate(caller, 'payoutHold')).id, input),
    }),
    payoutHistory: action({
      input: payoutOpsInputs.payoutHistory,
      run: async (input, caller) =>
        payoutOps.payoutHistory(runtime(), (await authenticate(caller, 'payoutHistory')).id, input),
    }),
    payoutList: action({
      input: payoutOpsInputs.payoutList,
      run: async (input, caller) =>
        payoutOps.payoutList(runtime(), (await authenticate(caller, 'payoutList')).id, input),
    }),
    payoutDisagreements: action({
      input: payoutOpsInputs.payoutDisagreements,
      run: async (_input, caller) =>
        payoutOps.payoutDisagreements(runtime(), (await authenticate(caller, 'payoutDisagreements')).id),
    }),
    payoutReconcile: action({
      input: payoutOpsInputs.payoutReconcile,
      run: async (_input, caller) =>
        payoutOps.payoutReconcile(runtime(), (await authenticate(caller, 'payoutReconcile')).id),
    }),
  };
}
