import type { DocStore } from '../storage/doc-store';
import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import { AppError } from '../runtime/app-error';
import { startPayout } from './engine';
import type { PayoutDoc } from './payout-doc';
import type { PayoutActor, PayoutDeps } from './ports';

/**
 * Starts (or resumes) the payout of an approved application: amount and payee come from the
 * stored application, never from a caller. Call it after the approval's transaction committed.
 */
export async function startPayoutForApplication(
  deps: PayoutDeps,
  docs: DocStore,
  loanId: string,
  actor: PayoutActor,
): Promise<PayoutDoc> {
  const app = await docs.get<ApplicationDoc>(APPLICATIONS, loanId);
  if (!app) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  const existing = await deps.store.get(loanId);
  if (!existing && app.status !== 'approved') {
    throw new AppError('PAYOUT_NOT_APPROVED', '申请尚未审批通过，不能放款');
  }
  return startPayout(deps, { loanId, borrowerOpenid: app.openid, amount: app.amount }, actor);
}
