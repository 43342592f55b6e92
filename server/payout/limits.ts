import type { Fen } from '../../typings/money';
import type { LimitsPolicy } from '../limits/policy';

/** Payout ceilings in force: the one limits policy, as `limitsInForce` narrowed it. */
export type PayoutLimits = LimitsPolicy;

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
