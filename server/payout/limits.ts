import type { Fen } from '../../typings/money';
import type { Qualification } from '../merchant/qualification';
import { NAME_REQUIRED_FROM_FEN } from '../wechatpay/transfer-input';

/** Payout ceilings in force (product policy, not WeChat's rules). */
export interface PayoutLimits {
  /** Smallest transfer; WeChat's own minimum is 10 fen. */
  minAmountFen: Fen;
  /** Largest single transfer. */
  perTransferCapFen: Fen;
  /** All transfers to one borrower per UTC+8 day. */
  perBorrowerDailyCapFen: Fen;
  /** All transfers of the merchant per UTC+8 day. */
  perMerchantDailyCapFen: Fen;
  /** Bills created per UTC+8 day. */
  dailyCallCount: number;
}

/** Counter values the check reads (from the counters documents, inside the transaction). */
export interface LimitCounters {
  merchantAmount: number;
  merchantCalls: number;
  borrowerAmount: number;
}

/** A refused reservation: stable code and a plain message. */
export interface LimitRefusal {
  code: string;
  message: string;
}

/** Narrows the policy by what the merchant's subject type may use (no large transfers → below 2,000 CNY). */
export function effectiveLimits(policy: PayoutLimits, qualification: Qualification): PayoutLimits {
  const largeCap = qualification.largeTransfers ? Number.MAX_SAFE_INTEGER : NAME_REQUIRED_FROM_FEN - 1;
  return {
    ...policy,
    perTransferCapFen: Math.min(policy.perTransferCapFen, qualification.perTransferCapFen, largeCap) as Fen,
    perMerchantDailyCapFen: Math.min(policy.perMerchantDailyCapFen, qualification.merchantDailyCapFen) as Fen,
  };
}

/** Decides whether `amount` fits every ceiling given today's counters; undefined when it does. */
export function checkLimits(
  amount: Fen,
  counters: LimitCounters,
  limits: PayoutLimits,
): LimitRefusal | undefined {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    return { code: 'PAYOUT_AMOUNT_INVALID', message: '放款金额无效' };
  }
  if (amount < limits.minAmountFen) {
    return { code: 'PAYOUT_BELOW_MINIMUM', message: '放款金额低于最低转账金额' };
  }
  if (amount > limits.perTransferCapFen) {
    return { code: 'PAYOUT_OVER_TRANSFER_CAP', message: '放款金额超过单笔转账上限，请联系客服处理' };
  }
  if (counters.borrowerAmount + amount > limits.perBorrowerDailyCapFen) {
    return { code: 'PAYOUT_OVER_BORROWER_DAILY_CAP', message: '今日到账金额已达上限，请明天再试' };
  }
  if (counters.merchantAmount + amount > limits.perMerchantDailyCapFen) {
    return { code: 'PAYOUT_OVER_MERCHANT_DAILY_CAP', message: '今日放款额度已满，将于明天继续处理' };
  }
  if (counters.merchantCalls + 1 > limits.dailyCallCount) {
    return { code: 'PAYOUT_OVER_DAILY_CALLS', message: '今日放款笔数已满，将于明天继续处理' };
  }
  return undefined;
}

/** The UTC+8 calendar day (YYYYMMDD) of an instant: limits reset at Beijing midnight. */
export function beijingDay(epochMs: number): string {
  const shifted = new Date(epochMs + 8 * 3600_000);
  const y = shifted.getUTCFullYear();
  const m = String(shifted.getUTCMonth() + 1).padStart(2, '0');
  const d = String(shifted.getUTCDate()).padStart(2, '0');
  return `${y}${m}${d}`;
}
