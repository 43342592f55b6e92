import { z } from 'zod';

/** One bin of a scorecard feature: values in [min, max) earn `points`. */
export interface ScoreBin {
  /** Inclusive lower bound (omit for −∞). */
  min?: number;
  /** Exclusive upper bound (omit for +∞). */
  max?: number;
  /** Log-odds contribution of this bin; scaled by PDO into points. */
  logOdds: number;
}

/** Names of the binned scorecard features. */
export type ScoreFeature =
  | 'age'
  | 'creditHistoryMonths'
  | 'overdueCount'
  | 'maxOverdueDays'
  | 'inquiries6m'
  | 'debtToIncomePct'
  | 'wechatRiskRank';

/** The versioned risk policy: every decision stores the version it was made under. */
export interface RiskPolicy {
  /** Stored with each decision so it can be explained and replayed. */
  version: string;
  /** Minimum age at application (years). */
  minAge: number;
  /** Maximum age at application (years). */
  maxAge: number;
  /** Score at the base odds. */
  baseScore: number;
  /** Points to double the odds. */
  pdo: number;
  /** Bins per feature; a missing value (no credit file) uses `thinFile`. */
  bins: Record<ScoreFeature, ScoreBin[]>;
  /** Log-odds used for every credit feature when the borrower has no credit file. */
  thinFileLogOdds: number;
  /** Score at or above which the automated decision approves. */
  approveAt: number;
  /** Score at or above which (below approveAt) an operator reviews; below it rejects. */
  reviewAt: number;
  /** Limit as a share (percent) of the product maximum per band. */
  bandLimitPct: Record<'A' | 'B' | 'C' | 'D', number>;
  /** Score floors of bands A, B, C (D below). */
  bandFloors: { A: number; B: number; C: number };
  /** Fraud signal thresholds: at `review` → manual review, at `reject` → reject. */
  fraud: {
    deviceOpenids: { review: number; reject: number };
    deviceIdentities: { review: number; reject: number };
    ipOpenidsPerDay: { review: number; reject: number };
    wechatRiskRank: { review: number; reject: number };
  };
}

/** The default policy. */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  version: 'risk-2026.1',
  minAge: 22,
  maxAge: 55,
  baseScore: 600,
  pdo: 40,
  bins: {
    age: [
      { max: 25, logOdds: -0.3 },
      { min: 25, max: 45, logOdds: 0.2 },
      { min: 45, logOdds: 0 },
    ],
    creditHistoryMonths: [
      { max: 12, logOdds: -0.6 },
      { min: 12, max: 60, logOdds: 0 },
      { min: 60, logOdds: 0.5 },
    ],
    overdueCount: [
      { max: 1, logOdds: 0.4 },
      { min: 1, max: 3, logOdds: -0.8 },
      { min: 3, logOdds: -2 },
    ],
    maxOverdueDays: [
      { max: 1, logOdds: 0.3 },
      { min: 1, max: 30, logOdds: -0.5 },
      { min: 30, logOdds: -1.8 },
    ],
    inquiries6m: [
      { max: 3, logOdds: 0.2 },
      { min: 3, max: 8, logOdds: -0.4 },
      { min: 8, logOdds: -1 },
    ],
    debtToIncomePct: [
      { max: 30, logOdds: 0.3 },
      { min: 30, max: 60, logOdds: -0.2 },
      { min: 60, logOdds: -1 },
    ],
    wechatRiskRank: [
      { max: 1, logOdds: 0.1 },
      { min: 1, max: 2, logOdds: -0.3 },
      { min: 2, logOdds: -1 },
    ],
  },
  thinFileLogOdds: -0.15,
  approveAt: 640,
  reviewAt: 560,
  bandLimitPct: { A: 100, B: 60, C: 40, D: 0 },
  bandFloors: { A: 680, B: 640, C: 560 },
  fraud: {
    deviceOpenids: { review: 3, reject: 5 },
    deviceIdentities: { review: 2, reject: 4 },
    ipOpenidsPerDay: { review: 10, reject: 30 },
    wechatRiskRank: { review: 2, reject: 3 },
  },
};

const policySchema = z.object({ version: z.string().min(1) }).passthrough();

/** The policy in force: `WXLEND_RISK_POLICY` (JSON, merged over the default) or the default. */
export function riskPolicy(env: NodeJS.ProcessEnv = process.env): RiskPolicy {
  const raw = env.WXLEND_RISK_POLICY;
  if (!raw) return DEFAULT_RISK_POLICY;
  const parsed = policySchema.parse(JSON.parse(raw));
  return { ...DEFAULT_RISK_POLICY, ...(parsed as Partial<RiskPolicy>) };
}
