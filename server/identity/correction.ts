import { encryptPii } from '../pii';
import type { Caller } from '../runtime/caller';
import type {
  CorrectableField,
  CorrectionRequestView,
  IdentityCorrectionRequest,
} from '../../typings/identity';
import type { StoredBorrower } from './borrower-rights';
import { auditBorrowerAct } from './borrower-audit';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { correctionView } from './request-views';
import { correctionRequestId, IDENTITY_COLLECTIONS, type IdentityRequestDoc } from './records';

/** Longest correction text, in code points. */
export const MAX_CORRECTION_DETAIL = 100;

/** Where a correction's text lives: bound into its envelope like the identity fields. */
export function correctionPurpose(openid: string, field: CorrectableField): string {
  return `borrower:${openid}:correction.${field}`;
}

/**
 * Records the borrower's request to correct a field of their verified identity (PIPL art. 46) for
 * an operator to check against evidence: the text is encrypted at rest and never answered or
 * audited (the audit names the field only). A newer request for the same field replaces the older.
 */
export async function requestCorrection(
  deps: IdentityDeps,
  caller: Caller & { openid: string },
  request: IdentityCorrectionRequest,
): Promise<CorrectionRequestView> {
  const detail = request.detail.trim();
  if (!detail || Array.from(detail).length > MAX_CORRECTION_DETAIL)
    throw identityError('CORRECTION_DETAIL_REQUIRED');
  const now = deps.clock.now();
  const id = correctionRequestId(caller.openid, request.field);
  const encrypted = encryptPii(deps.keys, detail, correctionPurpose(caller.openid, request.field));
  return deps.store.transact(async (tx) => {
    const borrower = await tx.get<StoredBorrower>(IDENTITY_COLLECTIONS.borrowers, caller.openid);
    if (!borrower?.identity) throw identityError('IDENTITY_NOT_VERIFIED');
    const doc: IdentityRequestDoc = {
      _id: id,
      openid: caller.openid,
      kind: 'correction',
      field: request.field,
      detail: encrypted,
      state: 'received',
      requestedAt: now,
      updatedAt: now,
    };
    await tx.put(IDENTITY_COLLECTIONS.requests, doc);
    await auditBorrowerAct(
      tx,
      caller.openid,
      'identity.correction_requested',
      { requestId: id, field: request.field },
      now,
    );
    return correctionView(doc);
  });
}
