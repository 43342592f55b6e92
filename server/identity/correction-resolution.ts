import { maskName, maskPhone } from '../../shared/masking';
import { validatePersonName } from '../../shared/person-name';
import type { BorrowerIdentity } from '../borrowers/borrower-doc';
import type { Clock } from '../clock';
import { blindIndexOf, decryptPii, encryptPii, type PiiKeys } from '../pii';
import { AppError } from '../runtime/app-error';
import type { DocStore } from '../storage/doc-store';
import type { CorrectableField, CorrectionOutcome, CorrectionRequestView } from '../../typings/identity';
import type { StoredBorrower } from './borrower-rights';
import { auditOperatorAct } from './borrower-audit';
import { correctionPurpose } from './correction';
import { piiPurpose } from './identity-record';
import { correctionView } from './request-views';
import { correctionRequestId, IDENTITY_COLLECTIONS as C, type IdentityRequestDoc } from './records';

/** An operator's answer to one correction request. */
export interface CorrectionResolution {
  openid: string;
  field: CorrectableField;
  decision: 'approve' | 'reject';
  reasonCode: string;
  /** The operator's own words about the evidence (kept on the request, its length audited). */
  note: string;
}

/** A mainland mobile number as WeChat answers it. */
const PHONE = /^1\d{10}$/;

/**
 * The identity with the approved value applied: name and phone are fields we hold and change
 * (re-encrypted, re-masked, phone blind index recomputed). The ID number is the key of the
 * duplicate, blacklist and credit checks, so an approved ID-number correction is recorded for
 * re-verification and changes nothing here.
 */
function corrected(
  keys: PiiKeys,
  openid: string,
  identity: BorrowerIdentity,
  field: CorrectableField,
  value: string,
): { identity: BorrowerIdentity; effect: CorrectionOutcome['effect'] } {
  const invalid = new AppError('CORRECTION_VALUE_INVALID', '申请更正的内容格式不正确，请驳回并说明原因');
  if (field === 'name') {
    const name = validatePersonName(value);
    if (!name.ok) throw invalid;
    return {
      identity: {
        ...identity,
        encrypted: { ...identity.encrypted, name: encryptPii(keys, name.name, piiPurpose(openid, 'name')) },
        masked: { ...identity.masked, name: maskName(name.name) },
      },
      effect: 'applied',
    };
  }
  if (field === 'phone') {
    const phone = value.replace(/[\s-]/g, '');
    if (!PHONE.test(phone)) throw invalid;
    return {
      identity: {
        ...identity,
        encrypted: { ...identity.encrypted, phone: encryptPii(keys, phone, piiPurpose(openid, 'phone')) },
        phoneHash: blindIndexOf(keys, 'phone', phone),
        masked: { ...identity.masked, phone: maskPhone(phone) },
      },
      effect: 'applied',
    };
  }
  return { identity, effect: 'reverify' };
}

/**
 * Approves or rejects a borrower's correction request in one transaction, audited on the
 * borrower's chain with the operator's id (field, decision, reason code; never the values). The
 * borrower's submitted text is removed once answered. Answering the same way twice answers the
 * recorded outcome without writing; a request no longer open is refused.
 */
export async function resolveCorrection(
  deps: { store: DocStore; clock: Clock; keys: PiiKeys },
  operatorId: string,
  resolution: CorrectionResolution,
): Promise<CorrectionRequestView> {
  const { openid, field, decision, reasonCode } = resolution;
  const now = deps.clock.now();
  const requestId = correctionRequestId(openid, field);
  const answered = decision === 'approve' ? 'completed' : 'refused';
  return deps.store.transact(async (tx) => {
    const request = await tx.get<IdentityRequestDoc>(C.requests, requestId);
    if (request?.state === answered && request.outcome?.reasonCode === reasonCode)
      return correctionView(request);
    if (request?.state !== 'received') throw new AppError('CORRECTION_NOT_OPEN', '该更正申请不存在或已处理');
    const borrower = await tx.get<StoredBorrower>(C.borrowers, openid);
    if (!borrower?.identity)
      throw new AppError('CORRECTION_IDENTITY_GONE', '该借款人已无实名信息（账号已注销），请驳回');
    let effect: CorrectionOutcome['effect'] = 'none';
    if (decision === 'approve') {
      const value = decryptPii(deps.keys, request.detail, correctionPurpose(openid, field)).trim();
      const next = corrected(deps.keys, openid, borrower.identity, field, value);
      effect = next.effect;
      if (effect === 'applied')
        await tx.put(C.borrowers, {
          ...borrower,
          identity: next.identity,
          version: borrower.version + 1,
          updatedAt: now,
        });
    }
    const { detail: _answered, ...kept } = request;
    const doc: IdentityRequestDoc = {
      ...kept,
      state: answered,
      outcome: { resolvedAt: now, reasonCode, effect },
      resolvedBy: operatorId,
      note: resolution.note,
      updatedAt: now,
    };
    await tx.put(C.requests, doc);
    await auditOperatorAct(
      tx,
      operatorId,
      openid,
      'identity.correction_resolved',
      { requestId, field, decision, reasonCode, effect, noteLength: Array.from(resolution.note).length },
      now,
    );
    return correctionView(doc);
  });
}
