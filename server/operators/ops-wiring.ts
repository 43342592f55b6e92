import { revealIdentity } from '../identity/borrower-access';
import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import type { LoanDeps } from '../loan/deps';
import { loanDepsFromEnv } from '../loan/wiring';
import { opsActions, type OperatorCheck } from '../ops/actions';
import { authenticateOperator } from '../ops/operator-auth';
import { deliverAfterChange } from '../outbox/trigger';
import { payoutOpsActions } from '../payout/ops-table';
import { piiKeysFromEnv } from '../pii';
import { invokeFunction } from '../runtime/invoke-function';

let deps: LoanDeps | undefined;

/** The loan deps of this instance, wired once. */
export function instanceLoanDeps(): LoanDeps {
  deps ??= loanDepsFromEnv();
  return deps;
}

/**
 * Asks the `payout` function to cancel the unconfirmed bills a freeze or blacklisting marked (it
 * holds the merchant's keys; `ops` and `workbench` never do). Never throws: the reconciler resends.
 */
async function cancelMarkedBills(loanIds: readonly string[]): Promise<void> {
  if (loanIds.length === 0) return;
  try {
    await invokeFunction('payout', { action: 'cancelBlocked', loanIds: [...loanIds] });
  } catch (error) {
    console.warn(
      `[ops] cancel of blocked bills not requested: ${(error as { code?: string }).code ?? 'ERROR'}`,
    );
  }
}

/**
 * After an operator's decision committed: its notification, then — when it approved — the payout,
 * started by the `payout` function (through `cloud.callFunction`; ops holds no WeChat Pay key). Never
 * throws: the borrower's first `payout.progress` and the reconcile tick start it otherwise.
 */
async function afterDecision(applicationId: string): Promise<void> {
  await deliverAfterChange(instanceLoanDeps)(applicationId);
  try {
    const app = await instanceLoanDeps().store.get<ApplicationDoc>(APPLICATIONS, applicationId);
    if (app?.status === 'approved')
      await invokeFunction('payout', { action: 'startApproved', loanId: applicationId });
  } catch (error) {
    console.warn(`[ops] payout not started after approval: ${(error as { code?: string }).code ?? 'ERROR'}`);
  }
}

/**
 * Every `ops` action (review, borrower controls, reveal, audit, payouts) over the production wiring.
 * `authenticate` decides who acts: by default the ops function's own check of the platform caller;
 * the workbench passes the operator of a verified session. Nothing here holds WeChat Pay keys:
 * payout starts and operations run in the `payout` function, called through `cloud.callFunction`.
 */
export function opsActionTable(authenticate?: OperatorCheck) {
  const check: OperatorCheck =
    authenticate ??
    ((caller, name) =>
      authenticateOperator(instanceLoanDeps().store, instanceLoanDeps().clock, caller, name));
  return {
    ...opsActions(
      instanceLoanDeps,
      (openid, reason) =>
        revealIdentity({ store: instanceLoanDeps().store, keys: piiKeysFromEnv() }, openid, reason),
      // After a decision commits: its notification, and an approval's payout in the `payout` function.
      afterDecision,
      // A freeze or blacklisting cancels the borrower's unconfirmed bill once it has committed.
      cancelMarkedBills,
      check,
    ),
    // payoutStart/Retry/Cancel/Hold/History/Reconcile run in `payout` (server/payout/ops-table.ts).
    ...payoutOpsActions(
      (name, operator, input) =>
        invokeFunction('payout', { action: 'operatorPayout', name, operator, input }),
      check,
    ),
  };
}
