import type { DocStore, TxDocs } from '../storage/doc-store';
import type { Clock } from '../clock';
import { AppError } from '../runtime/app-error';
import type { CorrectableField, DeletionRequestView } from '../../typings/identity';
import type { StoredBorrower } from './borrower-rights';
import { auditOperatorAct } from './borrower-audit';
import { deletionView } from './request-views';
import {
  correctionRequestId,
  deletionRequestId,
  IDENTITY_COLLECTIONS as C,
  type IdentityIndexDoc,
  type IdentityRequestDoc,
} from './records';
import { retainedIdentityOf, retentionEndOf } from './retention';

const CORRECTABLE: readonly CorrectableField[] = ['name', 'idNumber', 'phone'];

/** The answer of completeDeletion: the request as the borrower now sees it. */
export interface DeletionCompleted {
  openid: string;
  deletion: DeletionRequestView;
  /** True when the account had already been closed (nothing written). */
  alreadyCompleted: boolean;
}

/** Releases the closed account's openid from its ID number's index entry (the next sharer, if any, becomes owner). */
async function unbindIndex(tx: TxDocs, idHash: string, openid: string, now: number): Promise<void> {
  const index = await tx.get<IdentityIndexDoc>(C.index, idHash);
  if (!index) return;
  const sharedWith = index.sharedWith.filter((o) => o !== openid);
  const owner = index.openid === openid ? (sharedWith.shift() ?? null) : index.openid;
  await tx.put(C.index, { ...index, openid: owner, sharedWith, updatedAt: now });
}

/** Removes the text of the account's correction requests (personal data no law makes us keep); open ones end `cancelled`. */
async function scrubCorrections(tx: TxDocs, openid: string, now: number): Promise<void> {
  for (const field of CORRECTABLE) {
    const doc = await tx.get<IdentityRequestDoc>(C.requests, correctionRequestId(openid, field));
    if (!doc) continue;
    const { detail: _removed, ...kept } = doc;
    await tx.put(C.requests, {
      ...kept,
      state: doc.state === 'received' ? 'cancelled' : doc.state,
      updatedAt: now,
    });
  }
}

/**
 * Carries out a borrower's account deletion (PIPL art. 47) in one transaction, audited on the
 * borrower's chain with the operator's id. Refused while an application or an unsettled loan holds
 * the borrower's active slot. The live identity (masks, phone index, birth date) is removed and the
 * ID number's index entry released; the encrypted identity and its blind index are kept
 * retention-only with their end date (AML law), as are loan records, signed consents and audit.
 * Completing twice answers the completed request without writing.
 */
export async function completeDeletion(
  deps: { store: DocStore; clock: Clock },
  operatorId: string,
  openid: string,
  reasonCode: string,
): Promise<DeletionCompleted> {
  const now = deps.clock.now();
  const requestId = deletionRequestId(openid);
  return deps.store.transact(async (tx) => {
    const request = await tx.get<IdentityRequestDoc>(C.requests, requestId);
    if (request?.state === 'completed')
      return { openid, deletion: deletionView(request), alreadyCompleted: true };
    if (request?.state !== 'received')
      throw new AppError('DELETION_NOT_REQUESTED', '该借款人没有待处理的注销申请');
    const borrower = await tx.get<StoredBorrower>(C.borrowers, openid);
    if (borrower?.activeApplicationId)
      throw new AppError('DELETION_LOAN_ACTIVE', '该借款人有进行中的申请或未结清的借款，结清后才能注销');
    const retainedUntil = retentionEndOf(now);
    if (borrower?.identity) await unbindIndex(tx, borrower.identity.idHash, openid, now);
    await scrubCorrections(tx, openid, now);
    const { identity, ...rest } = borrower ?? {
      _id: openid,
      frozen: false,
      activeApplicationId: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
      identity: undefined,
    };
    await tx.put(C.borrowers, {
      ...rest,
      ...(identity ? { retained: retainedIdentityOf(identity, now) } : {}),
      rights: {
        consentWithdrawnAt: rest.rights?.consentWithdrawnAt ?? null,
        deletionRequestedAt: rest.rights?.deletionRequestedAt ?? request.requestedAt,
        accountClosedAt: now,
      },
      version: rest.version + 1,
      updatedAt: now,
    });
    const completed: IdentityRequestDoc = {
      ...request,
      state: 'completed',
      retainedUntil,
      resolvedBy: operatorId,
      updatedAt: now,
    };
    await tx.put(C.requests, completed);
    await auditOperatorAct(
      tx,
      operatorId,
      openid,
      'identity.deletion_completed',
      { requestId, reasonCode, retainedUntil, identityRetained: Boolean(identity) },
      now,
    );
    return { openid, deletion: deletionView(completed), alreadyCompleted: false };
  });
}
