import type { TxDocs } from '../storage/doc-store';
import { AppError } from '../runtime/app-error';
import { chinaDayKey } from '../../shared/china-date';
import { billNumberFor } from './bill-number';
import { recordIntent, sendCreate } from './engine';
import { firstIntent, needsPayeeName, payeeNameCipher, type PayoutOrder } from './intent';
import { loanTxHooks as hooks } from './loan-hooks';
import { prefetchHomeShard } from './merchant-shards';
import type { PayoutDoc } from './payout-doc';
import type { PayoutActor, PayoutCommit, PayoutDeps } from './ports';

/** Why the intent's transaction wrote nothing: the application is not approved, or the payee's name is needed first. */
type Undecided =
  { kind: 'undecided'; why: 'not_approved' } | { kind: 'undecided'; why: 'needs_name'; order: PayoutOrder };

/** The payee's encrypted name, made outside the transaction for the order that needs it. */
interface Named {
  openid: string;
  cipher: string;
}

/** Refusals when the caller names the payee (a borrower): the same answer whether absent or not theirs. */
const notFound = (): AppError => new AppError('PAYOUT_NOT_FOUND', '未找到该放款');

/**
 * The first intent decided on the application as the intent's transaction reads it: amount and
 * payee come from the stored application, never from a caller. Reads the application, the payee's
 * borrower document (when the payee is known) and the bill's merchant shard at once.
 */
async function intentFromApplication(
  deps: PayoutDeps,
  tx: TxDocs,
  loanId: string,
  actor: PayoutActor,
  payee: string | undefined,
  named: Named | undefined,
): Promise<PayoutCommit | Undecided> {
  const [app] = await Promise.all([
    hooks.applicationToPay(tx, loanId, payee),
    prefetchHomeShard(tx, chinaDayKey(deps.clock.now()), billNumberFor(loanId, 1)),
  ]);
  if (!app) throw payee ? notFound() : new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  if (payee !== undefined && app.openid !== payee) throw notFound();
  if (app.status !== 'approved') return { kind: 'undecided', why: 'not_approved' };
  const order: PayoutOrder = { loanId, borrowerOpenid: app.openid, amount: app.amount };
  if (!needsPayeeName(deps, order.amount)) return firstIntent(deps, order, actor);
  if (named?.openid !== order.borrowerOpenid) return { kind: 'undecided', why: 'needs_name', order };
  return firstIntent(deps, order, actor, named.cipher);
}

/**
 * Starts (or resumes) the payout of an approved application in one transaction that reads the
 * application itself (no read before it). `payee` is the calling borrower, who must own it (any
 * other answers PAYOUT_NOT_FOUND); without it the caller is the system or an operator. A transfer
 * that needs the payee's name runs the transaction again once the name is encrypted outside it.
 * Call it after the approval's transaction committed.
 */
export async function startPayoutForApplication(
  deps: PayoutDeps,
  loanId: string,
  actor: PayoutActor,
  payee?: string,
): Promise<PayoutDoc> {
  let named: Named | undefined;
  for (;;) {
    const found = await recordIntent(deps, loanId, (tx) =>
      intentFromApplication(deps, tx, loanId, actor, payee, named),
    );
    if (!('kind' in found)) return sendCreate(deps, loanId, found, payee !== undefined);
    if (found.why === 'needs_name' && !named) {
      const cipher = await payeeNameCipher(deps, found.order);
      named = { openid: found.order.borrowerOpenid, cipher: cipher ?? '' };
      continue;
    }
    // Not approved (any more): the payout someone stored meanwhile, or the refusal.
    const existing = await deps.store.get(loanId);
    if (existing && (payee === undefined || existing.borrowerOpenid === payee))
      return sendCreate(deps, loanId, existing, payee !== undefined);
    throw payee ? notFound() : new AppError('PAYOUT_NOT_APPROVED', '申请尚未审批通过，不能放款');
  }
}
