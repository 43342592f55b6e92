import { z } from 'zod';
import { AppError } from '../runtime/app-error';

/** The legal ceiling of the comprehensive annualised cost (interest + penalty + fees): 24 %. */
export const COMPREHENSIVE_COST_CEILING_BPS = 2_400;

/** Repayment terms as configured; copied into each plan at disbursement and never re-read for it. */
export interface RepaymentConfig {
  /** Penalty interest on overdue principal, annual basis points (actual days / 365). */
  penaltyAprBps: number;
  /** Days after the due date before penalty interest starts (the instalment is overdue from day 1). */
  graceDays: number;
  /** Annualised fees in basis points (none today; counted in the comprehensive cost). */
  feeAprBps: number;
  /** cloudPay sub-merchant receiving repayments (needed to collect, not to fix a schedule). */
  subMchId?: string;
  /** Minutes an unpaid order stays usable before a new one may replace it. */
  orderValidMinutes: number;
  /** Lender name shown in the contract. */
  lenderName: string;
}

/** Defaults (the sub-merchant comes from the environment). */
export const DEFAULT_REPAYMENT_CONFIG: Omit<RepaymentConfig, 'subMchId'> = {
  penaltyAprBps: 600,
  graceDays: 3,
  feeAprBps: 0,
  orderValidMinutes: 30,
  lenderName: '微借示例小额贷款有限公司',
};

const schema = z.strictObject({
  penaltyAprBps: z.number().int().min(0).max(2_400),
  graceDays: z.number().int().min(0).max(30),
  feeAprBps: z.number().int().min(0).max(2_400),
  subMchId: z
    .string()
    .regex(/^\d{8,32}$/)
    .optional(),
  orderValidMinutes: z.number().int().min(5).max(120),
  lenderName: z.string().min(1).max(64),
});

/** Refuses a configuration whose interest + penalty + fees could exceed 24 % a year. */
export function checkComprehensiveCost(aprBps: number, config: RepaymentConfig): void {
  const total = aprBps + config.penaltyAprBps + config.feeAprBps;
  if (total > COMPREHENSIVE_COST_CEILING_BPS) {
    throw new AppError(
      'COMPREHENSIVE_COST_TOO_HIGH',
      `综合年化成本 ${total / 100}%（利息+罚息+费用）超过 24% 上限，请调整配置`,
    );
  }
}

/**
 * The configuration in force: defaults overridden by `WXLEND_REPAYMENT_CONFIG` (JSON), the
 * sub-merchant set by the repayment functions' wiring. Validated at start against the loan
 * product's rate so no loan can ever be priced above the ceiling.
 */
export function repaymentConfigFromEnv(
  loanAprBps: number,
  env: NodeJS.ProcessEnv = process.env,
  subMchId?: string,
): RepaymentConfig {
  const overrides = env.WXLEND_REPAYMENT_CONFIG ? (JSON.parse(env.WXLEND_REPAYMENT_CONFIG) as object) : {};
  const config = schema.parse({
    ...DEFAULT_REPAYMENT_CONFIG,
    ...(subMchId ? { subMchId } : {}),
    ...overrides,
  });
  checkComprehensiveCost(loanAprBps, config);
  return config;
}

/** The sub-merchant that collects repayments, or a clear refusal when it is not configured. */
export function collectionSubMchId(config: RepaymentConfig): string {
  if (!config.subMchId) throw new AppError('REPAYMENT_NOT_CONFIGURED', '还款服务暂未开通，请稍后再试');
  return config.subMchId;
}
