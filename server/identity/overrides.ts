import { appendAudit } from '../audit';
import { AppError } from '../runtime/app-error';
import type { IdentityReadDeps } from './borrower-access';
import { blindIndex } from './borrower-access';
import { IDENTITY_COLLECTIONS, overrideId, type IdentityOverrideDoc } from './records';

/** An operator's decision to let `openid` verify with an ID number already bound to another openid. */
export interface IdentityOverrideRequest {
  idNumber: string;
  openid: string;
  /** The operator's openid or id, from the ops side's own authentication. */
  operatorId: string;
  /** Why; kept for auditors, must not contain personal data. */
  reason: string;
}

/** Records the override (idempotent per ID number and openid) and audits it in the same transaction. */
export async function createIdentityOverride(
  deps: IdentityReadDeps,
  request: IdentityOverrideRequest,
  now: number,
): Promise<{ overrideId: string; createdAt: number }> {
  if (!request.openid.trim() || !request.operatorId.trim())
    throw new AppError('INVALID_INPUT', 'openid 和 operatorId 不能为空');
  if (!request.reason.trim() || request.reason.length > 200)
    throw new AppError('REASON_REQUIRED', '请填写不超过200字的原因');
  const idHash = blindIndex(deps.keys, request.idNumber);
  const id = overrideId(idHash, request.openid);
  return deps.store.transact(async (tx) => {
    const existing = await tx.get<IdentityOverrideDoc>(IDENTITY_COLLECTIONS.overrides, id);
    if (existing) return { overrideId: id, createdAt: existing.createdAt };
    const doc: IdentityOverrideDoc = {
      _id: id,
      idHash,
      openid: request.openid,
      operatorId: request.operatorId,
      reason: request.reason,
      createdAt: now,
    };
    await tx.put(IDENTITY_COLLECTIONS.overrides, doc);
    await appendAudit(tx, {
      at: now,
      actor: request.operatorId,
      actorType: 'operator',
      event: 'identity.override',
      subject: `borrower:${request.openid}`,
      outcome: 'success',
      details: { reason: request.reason },
    });
    return { overrideId: id, createdAt: now };
  });
}
