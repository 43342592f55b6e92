import { z } from 'zod';
import { AppError } from '../runtime/app-error';
import { action } from '../runtime/handler';
import type { Caller } from '../runtime/caller';
import { loanIdSchema } from './loan-id';
import { payoutOps, payoutOpsInputs } from './ops-actions';
import type { PayoutRuntime } from './wiring';

/** Authenticates the calling operator (the ops function's own check); answers the operator's id. */
export type AuthenticateOperator = (caller: Caller, action: string) => Promise<{ id: string }>;

/** Inputs of every operator payout action, by name. */
export const PAYOUT_OP_INPUTS = {
  payoutStart: z.strictObject({ loanId: loanIdSchema }),
  ...payoutOpsInputs,
} as const;

/** The operator payout actions: start, retry, cancel, hold, history, list, disagreements, reconcile. */
export type PayoutOpName = keyof typeof PAYOUT_OP_INPUTS;

/** Every operator payout action name. */
export const PAYOUT_OP_NAMES = Object.keys(PAYOUT_OP_INPUTS) as [PayoutOpName, ...PayoutOpName[]];

/** Runs one operator payout action for an already-authorised operator (inside the `payout` function). */
export async function runPayoutOp(
  rt: PayoutRuntime,
  name: PayoutOpName,
  operator: string,
  raw: unknown,
): Promise<unknown> {
  const parsed = PAYOUT_OP_INPUTS[name].safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'invalid payout operation input');
  const run = payoutOps[name] as (rt: PayoutRuntime, operator: string, input: unknown) => Promise<unknown>;
  return run(rt, operator, parsed.data);
}

/** Where an authorised operator payout action runs: the `payout` function (production) or in-process (tests). */
export type RunPayoutOp = (name: PayoutOpName, operator: string, input: unknown) => Promise<unknown>;

/**
 * The payout actions the `ops` function registers next to its own. Each authenticates the operator
 * first, then hands the action to `run` — in production the `payout` function through
 * `cloud.callFunction`, so `ops` never holds the merchant's keys. Each is audited where it runs.
 */
export function payoutOpsActions(run: RunPayoutOp, authenticate: AuthenticateOperator) {
  const forward = (name: PayoutOpName) =>
    action({
      input: PAYOUT_OP_INPUTS[name],
      run: async (input: unknown, caller: Caller) => run(name, (await authenticate(caller, name)).id, input),
    });
  return {
    /** Starts (or resumes) the payout of an approved application. */
    payoutStart: forward('payoutStart'),
    /** New attempt after a confirmed failure, or resend of an unanswered intent. */
    payoutRetry: forward('payoutRetry'),
    /** Cancels a bill the borrower has not confirmed. */
    payoutCancel: forward('payoutCancel'),
    /** Marks the payout for manual handling. */
    payoutHold: forward('payoutHold'),
    /** A payout's full bill history. */
    payoutHistory: forward('payoutHistory'),
    /** Payouts that need an operator: stuck, failed or held. */
    payoutList: forward('payoutList'),
    /** Bills where WeChat and our records disagree, for an operator to settle. */
    payoutDisagreements: forward('payoutDisagreements'),
    /** Runs reconciliation now. */
    payoutReconcile: forward('payoutReconcile'),
  };
}

/** In-process runner over a payout runtime (tests and tools that hold the payout configuration). */
export function runPayoutOpsIn(runtime: () => PayoutRuntime): RunPayoutOp {
  return (name, operator, input) => runPayoutOp(runtime(), name, operator, input);
}
