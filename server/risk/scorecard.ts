import type { RiskInputs } from './inputs';
import type { RiskPolicy, ScoreBin, ScoreFeature } from './policy';

/** One feature's contribution to the score. */
export interface FeaturePoints {
  feature: ScoreFeature;
  points: number;
}

/** The scorecard result. */
export interface ScoreResult {
  score: number;
  band: 'A' | 'B' | 'C' | 'D';
  /** Approved limit in fen (a share of the product maximum, rounded down to whole yuan). */
  limit: number;
  contributions: FeaturePoints[];
}

/** Log-odds of the bin containing `value`. */
function binLogOdds(bins: ScoreBin[], value: number): number {
  const bin = bins.find(
    (b) => (b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max),
  );
  return bin?.logOdds ?? 0;
}

/** The feature values, or null where the credit file is missing. */
function featureValues(inputs: RiskInputs): Record<ScoreFeature, number | null> {
  const c = inputs.credit;
  return {
    age: inputs.age,
    creditHistoryMonths: c ? c.creditHistoryMonths : null,
    overdueCount: c ? c.overdueCount : null,
    maxOverdueDays: c ? c.maxOverdueDays : null,
    inquiries6m: c ? c.inquiries6m : null,
    debtToIncomePct: c ? c.debtToIncomePct : null,
    wechatRiskRank: inputs.wechatRiskRank,
  };
}

/**
 * Points scorecard: each feature's bin log-odds is scaled by PDO / ln 2 into points, added to the
 * base score. Missing credit data scores as a thin file; a missing risk rank scores 0.
 */
export function scoreApplicant(inputs: RiskInputs, policy: RiskPolicy): ScoreResult {
  const factor = policy.pdo / Math.LN2;
  const values = featureValues(inputs);
  const contributions = (Object.keys(policy.bins) as ScoreFeature[]).map((feature) => {
    const value = values[feature];
    const logOdds =
      value === null
        ? feature === 'wechatRiskRank' || feature === 'age'
          ? 0
          : policy.thinFileLogOdds
        : binLogOdds(policy.bins[feature], value);
    return { feature, points: Math.round(factor * logOdds) };
  });
  const score = policy.baseScore + contributions.reduce((sum, c) => sum + c.points, 0);
  const band =
    score >= policy.bandFloors.A
      ? 'A'
      : score >= policy.bandFloors.B
        ? 'B'
        : score >= policy.bandFloors.C
          ? 'C'
          : 'D';
  const raw = Math.floor((inputs.productMaxAmount * policy.bandLimitPct[band]) / 100);
  return { score, band, limit: raw - (raw % 100), contributions };
}
