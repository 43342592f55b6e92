import { z } from 'zod';
import type { RepaymentMethod } from '../../typings/loan';
import type { Fen } from '../../typings/money';

/** The loan product as configured. */
export interface LoanProductConfig {
  /** Annual percentage rate in basis points (1,800 = 18 %; the legal ceiling is 24 %). */
  aprBps: number;
  /** Smallest loan the product offers (the payout minimum may raise it). */
  minAmountFen: Fen;
  /** Largest loan the product offers (the payout limits may lower it). */
  maxAmountFen: Fen;
  /** Amounts must be a multiple of this (whole yuan by default). */
  amountStepFen: Fen;
  /** Terms in months offered. */
  terms: number[];
  /** Repayment methods offered. */
  methods: RepaymentMethod[];
  /** Version of the loan agreement the client must show; consent to another version is refused. */
  agreementVersion: string;
  /** The lender's registered name, shown before signing and written into the agreement. */
  lenderName: string;
  /** Amount above which an operator approval needs a second, different operator. */
  makerCheckerAboveFen: Fen;
  /** Hours within which operators promise to decide an application sent to manual review (shown to the borrower). */
  manualReviewHours: number;
  /** Hours within which operators promise to decide an appeal (shown to the borrower). */
  appealReviewHours: number;
}

/** Defaults. */
export const DEFAULT_LOAN_CONFIG: LoanProductConfig = {
  aprBps: 1_800,
  minAmountFen: 10_000 as Fen,
  maxAmountFen: 50_000 as Fen,
  amountStepFen: 100 as Fen,
  terms: [3, 6, 12],
  methods: ['equal_instalment', 'equal_principal'],
  agreementVersion: '2026-02',
  lenderName: '微借示范小额贷款有限公司',
  makerCheckerAboveFen: 30_000 as Fen,
  manualReviewHours: 24,
  appealReviewHours: 72,
};

const schema = z.strictObject({
  aprBps: z.number().int().min(0).max(2_400),
  minAmountFen: z.number().int().positive(),
  maxAmountFen: z.number().int().positive(),
  amountStepFen: z.number().int().positive(),
  terms: z.array(z.number().int().min(1).max(60)).min(1),
  methods: z.array(z.enum(['equal_instalment', 'equal_principal'])).min(1),
  agreementVersion: z.string().min(1).max(32),
  lenderName: z.string().min(2).max(64),
  makerCheckerAboveFen: z.number().int().min(0),
  manualReviewHours: z.number().int().min(1).max(720),
  appealReviewHours: z.number().int().min(1).max(720),
});

/** The configuration in force: defaults overridden by `WXLEND_LOAN_CONFIG` (JSON). */
export function loanProductConfig(env: NodeJS.ProcessEnv = process.env): LoanProductConfig {
  const raw = env.WXLEND_LOAN_CONFIG;
  if (!raw) return DEFAULT_LOAN_CONFIG;
  return { ...DEFAULT_LOAN_CONFIG, ...schema.partial().parse(JSON.parse(raw)) } as LoanProductConfig;
}
