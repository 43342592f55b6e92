import type { PayoutProgress } from '../../typings/payout';
import type { MerchantProfile } from '../merchant/profile';
import { isFinal } from './bill-state';
import { failureText, MANUAL_NEXT_STEP } from './messages';
import { currentBill, type PayoutDoc } from './payout-doc';
import type { PayoutSettings } from './ports';

/**
 * The payout progress a caller may see. The confirmation parameters go to the payee only, only
 * while the bill waits for confirmation and the window is open.
 */
export function payoutProgress(
  doc: PayoutDoc,
  callerOpenid: string | undefined,
  profile: MerchantProfile,
  settings: PayoutSettings,
  now: number,
): PayoutProgress {
  const bill = currentBill(doc);
  const isPayee = callerOpenid !== undefined && callerOpenid === doc.borrowerOpenid;
  const base = { amount: doc.amount, canRetry: false };
  if (doc.status === 'succeeded') return { ...base, stage: 'disbursed', message: '借款已到账微信零钱' };
  if (doc.disputed) {
    // Our record and WeChat disagree on a bill: nothing to confirm or retry until an operator decides.
    return {
      ...base,
      stage: 'manual_review',
      message: '放款已转人工处理',
      reason: '放款结果正在与微信支付核对',
      nextStep: MANUAL_NEXT_STEP,
    };
  }
  if (doc.status === 'manual') {
    return {
      ...base,
      stage: 'manual_review',
      message: '放款已转人工处理',
      reason: doc.reason ?? '等待人工处理',
      nextStep: MANUAL_NEXT_STEP,
    };
  }
  if (doc.status === 'failed') {
    const text = failureText(bill.phase, bill.failReason);
    const canRetry = isPayee && doc.bills.length < settings.maxAttempts;
    return {
      ...base,
      stage: 'failed',
      message: '放款未成功',
      reason: text.reason,
      nextStep: text.nextStep,
      canRetry,
    };
  }
  if (bill.cancelFor && !isFinal(bill.phase) && bill.phase !== 'TRANSFERING') {
    // Marked at a freeze or blacklisting: never confirmable again, even after an unfreeze.
    return { ...base, stage: 'preparing', message: '本笔转账正在撤销，撤销完成后可重新发起放款' };
  }
  if (bill.phase === 'WAIT_USER_CONFIRM' || bill.phase === 'CANCELING') {
    const confirmBefore = (bill.acceptedAt ?? bill.createdAt) + settings.confirmWindowMs;
    const progress: PayoutProgress = {
      ...base,
      stage: 'awaiting_confirmation',
      message: '等待您确认收款',
      nextStep: '请点击“确认收款”，24小时内未确认将自动关闭',
      confirmBefore,
    };
    if (isPayee && bill.phase === 'WAIT_USER_CONFIRM' && bill.packageInfo && now < confirmBefore) {
      progress.confirmation = {
        mchId: profile.mchId,
        appId: profile.appId,
        package: bill.packageInfo,
        openId: doc.borrowerOpenid,
      };
    }
    return progress;
  }
  if (bill.phase === 'TRANSFERING')
    return { ...base, stage: 'transferring', message: '已确认收款，正在到账' };
  return { ...base, stage: 'preparing', message: '正在发起放款' };
}
