import { z } from 'zod';
import type { Fen } from '../../typings/money';
import { merchantQualification } from '../merchant/profile';
import type { Qualification } from '../merchant/qualification';
import { NAME_REQUIRED_FROM_FEN } from '../wechatpay/transfer-input';

/**
 * The one limits policy: payout enforces these ceilings and `quote` never offers more, so a
 * borrower is never approved for an amount the payout side would refuse. Product policy, not
 * WeChat's rules (platform-facts.md: the 500 CNY / 100k CNY figures belong to the old product).
 */
export interface LimitsPolicy {
  /** Smallest transfer (WeChat's own minimum is 10 fen); also the smallest loan offered. */
  minAmountFen: Fen;
  /** Largest single transfer; default 500 CNY. */
  perTransferCapFen: Fen;
  /** All transfers to one borrower per UTC+8 day; default 5,000 CNY. */
  perBorrowerDailyCapFen: Fen;
  /** All transfers of the merchant per UTC+8 day; default 100,000 CNY. */
  perMerchantDailyCapFen: Fen;
  /** Transfer bills created per UTC+8 day. */
  dailyCallCount: number;
}

/** Defaults from platform-facts.md. */
export const DEFAULT_LIMITS: LimitsPolicy = {
  minAmountFen: 10_000 as Fen,
  perTransferCapFen: 50_000 as Fen,
  perBorrowerDailyCapFen: 500_000 as Fen,
  perMerchantDailyCapFen: 10_000_000 as Fen,
  dailyCallCount: 5_000,
};

const fenField = z.number().int().positive().max(1_000_000_000);
const limitsSchema = z.strictObject({
  minAmountFen: fenField,
  perTransferCapFen: fenField,
  perBorrowerDailyCapFen: fenField,
  perMerchantDailyCapFen: fenField,
  dailyCallCount: z.number().int().positive(),
});

/** The policy in force: defaults overridden by `WXLEND_LIMITS` (JSON) when set. */
export function limitsPolicy(env: NodeJS.ProcessEnv = process.env): LimitsPolicy {
  const raw = env.WXLEND_LIMITS;
  if (!raw) return DEFAULT_LIMITS;
  const parsed = limitsSchema.partial().parse(JSON.parse(raw));
  return { ...DEFAULT_LIMITS, ...parsed } as LimitsPolicy;
}

/**
 * The one function computing the limits in force: the policy narrowed by what the merchant's
 * subject type may use (no large transfers → below 2,000 CNY; its own transfer and day caps).
 * Quote, apply and payout all use it, so the borrower is never offered what payout refuses.
 */
export function limitsInForce(policy: LimitsPolicy, qualification: Qualification): LimitsPolicy {
  const largeCap = qualification.largeTransfers ? Number.MAX_SAFE_INTEGER : NAME_REQUIRED_FROM_FEN - 1;
  return {
    ...policy,
    perTransferCapFen: Math.min(policy.perTransferCapFen, qualification.perTransferCapFen, largeCap) as Fen,
    perMerchantDailyCapFen: Math.min(policy.perMerchantDailyCapFen, qualification.merchantDailyCapFen) as Fen,
  };
}

/** The limits in force from the environment (`WXLEND_LIMITS`, the merchant profile's subject type). */
export function limitsInForceFromEnv(env: NodeJS.ProcessEnv = process.env): LimitsPolicy {
  return limitsInForce(limitsPolicy(env), merchantQualification(env));
}

/** The largest single loan the payout side can pay out in one transfer on a day with nothing paid yet. */
export function maxPayableLoan(policy: LimitsPolicy): Fen {
  return Math.min(
    policy.perTransferCapFen,
    policy.perBorrowerDailyCapFen,
    policy.perMerchantDailyCapFen,
  ) as Fen;
}
