import { z } from 'zod';
import type { PayoutBillView, PayoutProgress } from '../../typings/payout';
import { AppError } from '../runtime/app-error';
import { action } from '../runtime/handler';
import { isFromClient, type Caller } from '../runtime/caller';
import { refusalForApplication } from '../loan/money-gate';
import { isBeforeConfirmation } from './bill-state';
import { retryPayout } from './manage';
import { currentBill } from './payout-doc';
import { refreshPayout } from './settle';
import { payoutProgress } from './progress';
import { startPayoutForApplication } from './start';
import type { PayoutDoc } from './payout-doc';
import type { PayoutRuntime } from './wiring';
import { loanIdSchema } from './loan-id';
import { cancelBlockedPayouts } from './blocked-cancel';
import { PAYOUT_OP_NAMES, runPayoutOp } from './ops-table';

export { loanIdSchema };

const byLoan = z.strictObject({ loanId: loanIdSchema });

/** The borrower's own payout, or the same refusal whether it is absent or someone else's. */
async function ownPayout(runtime: PayoutRuntime, caller: Caller, loanId: string): Promise<PayoutDoc> {
  const doc = await runtime.deps.store.get(loanId);
  if (!doc) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
  return ownedBy(doc, caller);
}

/** The payout if it is the caller's, or the same refusal as for an absent one. */
function ownedBy(doc: PayoutDoc, caller: Caller): PayoutDoc {
  if (!caller.openid || doc.borrowerOpenid !== caller.openid)
    throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
  return doc;
}

/**
 * Starts the payout of the caller's own approved application (the same refusal otherwise): the
 * intent's transaction reads the application itself, so nothing is read before it.
 */
async function startOwnApproved(rt: PayoutRuntime, caller: Caller, loanId: string): Promise<PayoutDoc> {
  if (!caller.openid) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
  return startPayoutForApplication(rt.deps, loanId, { id: caller.openid, type: 'borrower' }, caller.openid);
}

/** Progress of a payout for its payee. */
function progressOf(
  runtime: PayoutRuntime,
  doc: Parameters<typeof payoutProgress>[0],
  caller: Caller,
): PayoutProgress {
  const { profile, settings, clock } = runtime.deps;
  return payoutProgress(doc, caller.openid, profile, settings, clock.now());
}

/** The `payout` function's actions: start (server only), progress and retry (the payee only). */
export function payoutActions(runtime: () => PayoutRuntime) {
  return {
    /** Starts or resumes the payout of an approved application (console, ops, timers — never a client). */
    start: action({
      input: byLoan,
      run: async (input, caller): Promise<PayoutBillView> => {
        if (isFromClient(caller)) throw new AppError('FORBIDDEN', '无权执行该操作');
        const rt = runtime();
        const doc = await startPayoutForApplication(rt.deps, input.loanId, {
          id: 'system:payout',
          type: 'system',
        });
        const bill = doc.bills[doc.bills.length - 1];
        if (!bill) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
        return {
          outBillNo: bill.outBillNo,
          attempt: bill.attempt,
          phase: bill.phase,
          amount: bill.amount,
          history: bill.history,
        };
      },
    }),
    /**
     * Where the payout stands; the confirmation parameters only for the payee while waiting. The
     * progress page asks right after an approval: an approved loan of the caller without a payout
     * yet is started here (the approval itself answered at the decision; the reconcile timer is the
     * backstop when nobody asks).
     */
    progress: action({
      input: byLoan,
      run: async (input, caller): Promise<PayoutProgress> => {
        const rt = runtime();
        const stored = await rt.deps.store.get(input.loanId);
        let doc: PayoutDoc | undefined;
        let refusal: AppError | undefined;
        if (stored) {
          const own = ownedBy(stored, caller);
          // Before the borrower confirms, the money gate decides (in parallel with the refresh)
          // whether the confirmation may be shown at all: a frozen or blacklisted payee gets its code.
          [doc, refusal] = await Promise.all([
            refreshPayout(rt.deps, own),
            isBeforeConfirmation(currentBill(own).phase)
              ? refusalForApplication((c, id) => rt.docs.get(c, id), input.loanId)
              : undefined,
          ]);
        } else {
          // A new bill passes the money gate inside the payout commit (a blocked borrower is refused there).
          doc = await startOwnApproved(rt, caller, input.loanId);
        }
        if (!doc) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
        if (refusal && isBeforeConfirmation(currentBill(doc).phase)) throw refusal;
        return progressOf(rt, doc, caller);
      },
    }),
    /**
     * Right after an operator's approval committed, `ops` asks for its payout here (ops holds no
     * WeChat Pay key): a client operator is verified again (caller table), a server hop is the system.
     */
    startApproved: action({
      input: byLoan,
      run: async (input, caller): Promise<{ started: boolean }> => {
        const rt = runtime();
        const actor = caller.verifiedOperator
          ? { id: caller.verifiedOperator.id, type: 'operator' as const }
          : { id: 'system:approval', type: 'system' as const };
        await startPayoutForApplication(rt.deps, input.loanId, actor);
        return { started: true };
      },
    }),
    /**
     * An operator payout action handed over by `ops` or `workbench` after their operator check: a
     * client operator is verified again here (caller table); a server hop names the operator it checked.
     */
    operatorPayout: action({
      input: z.strictObject({
        name: z.enum(PAYOUT_OP_NAMES),
        operator: z.string().min(1).max(128),
        input: z.unknown(),
      }),
      run: async (input, caller): Promise<unknown> =>
        runPayoutOp(runtime(), input.name, caller.verifiedOperator?.id ?? input.operator, input.input),
    }),
    /** Cancels the unconfirmed bills a committed freeze or blacklisting marked (from `ops`, never a client). */
    cancelBlocked: action({
      input: z.strictObject({ loanIds: z.array(loanIdSchema).max(50) }),
      run: async (input): Promise<{ requested: number }> => {
        await cancelBlockedPayouts(runtime, input.loanIds);
        return { requested: input.loanIds.length };
      },
    }),
    /** The payee asks for a new attempt after a confirmed failure (e.g. the 24 h window passed). */
    retry: action({
      input: byLoan,
      run: async (input, caller): Promise<PayoutProgress> => {
        const rt = runtime();
        await ownPayout(rt, caller, input.loanId);
        const doc = await retryPayout(
          rt.deps,
          input.loanId,
          { id: caller.openid ?? '', type: 'borrower' },
          false,
        );
        return progressOf(rt, doc, caller);
      },
    }),
  };
}
