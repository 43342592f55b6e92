import type { BillPhase } from '../../typings/payout';

/** Why a bill ended unpaid, in the borrower's terms, and what to do next. */
export interface FailureText {
  reason: string;
  nextStep: string;
}

const BY_CODE: Record<string, FailureText> = {
  OVERDUE_CLOSE: {
    reason: '24小时内未确认收款，转账已关闭',
    nextStep: '请点击“重新发起放款”，并在24小时内确认收款',
  },
  PAYEE_ACCOUNT_ABNORMAL: {
    reason: '您的微信零钱账户异常，无法收款',
    nextStep: '请在微信中检查零钱账户状态后重新发起，或联系客服',
  },
  REAL_NAME_CHECK_FAIL: {
    reason: '收款人实名信息校验未通过',
    nextStep: '请确认微信已完成实名认证后重新发起，或联系客服',
  },
  NAME_NOT_CORRECT: {
    reason: '收款人姓名与微信实名不一致',
    nextStep: '请联系客服核对身份信息',
  },
  DAY_RECEIVED_QUOTA_EXCEED: {
    reason: '您今日的收款额度已满',
    nextStep: '请明天重新发起放款',
  },
};

/** Plain-language text for a confirmed-unpaid bill. */
export function failureText(phase: BillPhase, failReason: string | undefined): FailureText {
  if (failReason && Object.hasOwn(BY_CODE, failReason)) return BY_CODE[failReason] as FailureText;
  if (phase === 'CANCELLED') {
    return { reason: '本次转账已撤销', nextStep: '可点击“重新发起放款”，或等待客服处理' };
  }
  return { reason: '本次转账未成功', nextStep: '可点击“重新发起放款”，或联系客服' };
}

/** Shown when attempts are exhausted or an operator holds the payout. */
export const MANUAL_NEXT_STEP = '已转人工处理，客服将尽快联系您；您也可以提交申诉';
