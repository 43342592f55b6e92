import type { Caller } from '../runtime/caller';
import type { DeletionRequestView } from '../../typings/identity';
import { setBorrowerRights, type StoredBorrower } from './borrower-rights';
import { auditBorrowerAct } from './borrower-audit';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { deletionView } from './request-views';
import { deletionRequestId, IDENTITY_COLLECTIONS, type IdentityRequestDoc } from './records';

type Borrower = Caller & { openid: string };

/**
 * Records the borrower's request to delete the account (PIPL art. 47) for an operator to carry out:
 * state `received`, new applications refused (ACCOUNT_DELETION_PENDING) from now on. What the law
 * requires to be kept (identity, agreements, repayment and audit records) is kept, and the page
 * says so before the borrower confirms. Refused while an application is in progress. Asking twice
 * answers the pending request.
 */
export async function requestDeletion(deps: IdentityDeps, caller: Borrower): Promise<DeletionRequestView> {
  const now = deps.clock.now();
  const id = deletionRequestId(caller.openid);
  return deps.store.transact(async (tx) => {
    const existing = await tx.get<IdentityRequestDoc>(IDENTITY_COLLECTIONS.requests, id);
    // Pending, or already carried out (the account is closed): asking again answers that request.
    if (existing?.state === 'received' || existing?.state === 'completed') return deletionView(existing);
    const borrower = await tx.get<StoredBorrower>(IDENTITY_COLLECTIONS.borrowers, caller.openid);
    if (borrower?.activeApplicationId) throw identityError('DELETION_ACTIVE_APPLICATION');
    const doc: IdentityRequestDoc = {
      _id: id,
      openid: caller.openid,
      kind: 'deletion',
      state: 'received',
      requestedAt: now,
      updatedAt: now,
    };
    await tx.put(IDENTITY_COLLECTIONS.requests, doc);
    await setBorrowerRights(tx, caller.openid, { deletionRequestedAt: now }, now, borrower);
    await auditBorrowerAct(
      tx,
      caller.openid,
      'identity.deletion_requested',
      { requestId: id, verified: Boolean(borrower?.identity) },
      now,
    );
    return deletionView(doc);
  });
}

/** Withdraws a pending deletion request: state `cancelled`, applications allowed again; audited. */
export async function cancelDeletion(deps: IdentityDeps, caller: Borrower): Promise<DeletionRequestView> {
  const now = deps.clock.now();
  const id = deletionRequestId(caller.openid);
  return deps.store.transact(async (tx) => {
    const existing = await tx.get<IdentityRequestDoc>(IDENTITY_COLLECTIONS.requests, id);
    if (existing?.state !== 'received') throw identityError('DELETION_NOT_PENDING');
    const doc: IdentityRequestDoc = { ...existing, state: 'cancelled', updatedAt: now };
    await tx.put(IDENTITY_COLLECTIONS.requests, doc);
    await setBorrowerRights(tx, caller.openid, { deletionRequestedAt: null }, now);
    await auditBorrowerAct(
      tx,
      caller.openid,
      'identity.deletion_cancelled',
      { requestId: id, requestedAt: existing.requestedAt },
      now,
    );
    return deletionView(doc);
  });
}
