import type { ApplyBlock } from '../../typings/identity';
import { AppError } from '../runtime/app-error';
import type { BorrowerDoc, BorrowerRights } from './borrower-doc';

/** What each block answers to `apply`: a stable code and what the borrower can do about it. */
const REFUSALS: Record<ApplyBlock, { code: string; message: string }> = {
  consent_withdrawn: {
    code: 'CONSENT_WITHDRAWN',
    message: '您已撤回个人信息处理同意，暂不能申请借款。如需借款，请在“我的”中重新同意后再申请',
  },
  account_closed: {
    code: 'ACCOUNT_CLOSED',
    message: '您的账号已注销，不能再申请借款或实名认证。如需继续使用，请联系客服',
  },
  deletion_requested: {
    code: 'ACCOUNT_DELETION_PENDING',
    message: '您已申请注销账号，暂不能申请借款。如需继续借款，请在“我的”中撤销注销申请',
  },
};

/** The one rule of which rights requests stop new applications (a closed account, then a pending deletion); null when none does. */
export function applyBlockOf(borrower: Pick<BorrowerDoc, 'rights'> | undefined): ApplyBlock | null {
  const rights: Partial<BorrowerRights> = borrower?.rights ?? {};
  if (rights.accountClosedAt) return 'account_closed';
  if (rights.deletionRequestedAt) return 'deletion_requested';
  if (rights.consentWithdrawnAt) return 'consent_withdrawn';
  return null;
}

/** The refusal `apply` answers a borrower whose own rights requests stop new applications, or undefined. */
export function applyBlockRefusal(borrower: Pick<BorrowerDoc, 'rights'> | undefined): AppError | undefined {
  const block = applyBlockOf(borrower);
  return block ? new AppError(REFUSALS[block].code, REFUSALS[block].message) : undefined;
}

/** The refusal for a closed account (verify, consent): closing is final, unlike the borrower's own blocks. */
export function accountClosedRefusal(
  borrower: Pick<BorrowerDoc, 'rights'> | undefined,
): AppError | undefined {
  return applyBlockOf(borrower) === 'account_closed' ? applyBlockRefusal(borrower) : undefined;
}
