import type { RiskInputs } from './inputs';
import type { RiskPolicy } from './policy';
import { scoreApplicant, type ScoreResult } from './scorecard';

/** Automated outcome. */
export type RiskOutcome = 'approved' | 'manual_review' | 'rejected';

/** Stable codes of hard rules, fraud signals and score reasons (internal; never shown raw). */
export type ReasonCode =
  | 'IDENTITY_NOT_VERIFIED'
  | 'AGE_OUT_OF_RANGE'
  | 'BLACKLISTED'
  | 'FROZEN'
  | 'PURPOSE_BANNED'
  | 'OVER_LIMIT'
  | 'DEVICE_SHARED'
  | 'DEVICE_MANY_IDENTITIES'
  | 'IP_VELOCITY'
  | 'WECHAT_RISK'
  | 'SCORE_LOW'
  | 'SCORE_REVIEW'
  | 'CREDIT_OVERDUE'
  | 'CREDIT_SHORT_HISTORY'
  | 'CREDIT_INQUIRIES'
  | 'CREDIT_DEBT'
  | 'AGE_BAND'
  | 'NO_CREDIT_FILE'
  | 'CREDIT_BUREAU_UNAVAILABLE'
  | 'CREDIT_INQUIRY_NOT_AUTHORISED';

/** The decision as stored with the application. */
export interface StoredDecision {
  outcome: RiskOutcome;
  policyVersion: string;
  score: number;
  band: ScoreResult['band'];
  limit: number;
  /** Hard rules and fraud signals that fired. */
  rulesHit: ReasonCode[];
  /** Up to three reasons, most important first. */
  reasons: ReasonCode[];
  inputs: RiskInputs;
  decidedAt: number;
  /** `auto` for the scorecard; an operator's openid for manual decisions. */
  decidedBy: string;
}

/** Feature → reason code used when that feature cost points. */
const FEATURE_REASON: Record<string, ReasonCode> = {
  overdueCount: 'CREDIT_OVERDUE',
  maxOverdueDays: 'CREDIT_OVERDUE',
  creditHistoryMonths: 'CREDIT_SHORT_HISTORY',
  inquiries6m: 'CREDIT_INQUIRIES',
  debtToIncomePct: 'CREDIT_DEBT',
  wechatRiskRank: 'WECHAT_RISK',
  age: 'AGE_BAND',
};

/** Hard rules: any hit rejects. */
function hardRules(inputs: RiskInputs, policy: RiskPolicy, limit: number): ReasonCode[] {
  const hits: ReasonCode[] = [];
  if (!inputs.identityVerified) hits.push('IDENTITY_NOT_VERIFIED');
  if (inputs.age === null || inputs.age < policy.minAge || inputs.age > policy.maxAge)
    hits.push('AGE_OUT_OF_RANGE');
  if (inputs.blacklisted) hits.push('BLACKLISTED');
  if (inputs.frozen) hits.push('FROZEN');
  if (inputs.purposeBanned) hits.push('PURPOSE_BANNED');
  if (limit > 0 && inputs.amount > limit) hits.push('OVER_LIMIT');
  return hits;
}

/** Fraud signals split into those that reject and those that need a person. */
function fraudSignals(
  inputs: RiskInputs,
  policy: RiskPolicy,
): { reject: ReasonCode[]; review: ReasonCode[] } {
  const reject: ReasonCode[] = [];
  const review: ReasonCode[] = [];
  const check = (value: number | null, t: { review: number; reject: number }, code: ReasonCode): void => {
    if (value === null) return;
    if (value >= t.reject) reject.push(code);
    else if (value >= t.review) review.push(code);
  };
  check(inputs.deviceOpenids, policy.fraud.deviceOpenids, 'DEVICE_SHARED');
  check(inputs.deviceIdentities, policy.fraud.deviceIdentities, 'DEVICE_MANY_IDENTITIES');
  check(inputs.ipOpenidsPerDay, policy.fraud.ipOpenidsPerDay, 'IP_VELOCITY');
  check(inputs.wechatRiskRank, policy.fraud.wechatRiskRank, 'WECHAT_RISK');
  return { reject, review };
}

/** Score reasons: the features that cost the most points, most negative first. */
function scoreReasons(result: ScoreResult, inputs: RiskInputs): ReasonCode[] {
  const codes = result.contributions
    .filter((c) => c.points < 0)
    .sort((a, b) => a.points - b.points)
    .map((c) =>
      inputs.credit === null && c.feature !== 'age' && c.feature !== 'wechatRiskRank'
        ? 'NO_CREDIT_FILE'
        : (FEATURE_REASON[c.feature] ?? 'SCORE_LOW'),
    );
  return [...new Set(codes)];
}

/** Pure, fast automated decision: hard rules, fraud signals, then the scorecard. */
export function decideApplication(inputs: RiskInputs, policy: RiskPolicy, decidedAt: number): StoredDecision {
  const scored = scoreApplicant(inputs, policy);
  const rules = hardRules(inputs, policy, scored.limit);
  const fraud = fraudSignals(inputs, policy);
  const byScore: RiskOutcome =
    scored.score >= policy.approveAt
      ? 'approved'
      : scored.score >= policy.reviewAt
        ? 'manual_review'
        : 'rejected';
  const rulesHit = [...rules, ...fraud.reject, ...fraud.review];
  let outcome: RiskOutcome;
  // Without credit data a person decides (the rules that fired are kept for them): never an automatic rejection.
  if (inputs.creditGap) outcome = 'manual_review';
  else if (rules.length > 0 || fraud.reject.length > 0 || byScore === 'rejected') outcome = 'rejected';
  else if (fraud.review.length > 0 || byScore === 'manual_review') outcome = 'manual_review';
  else outcome = 'approved';
  const reasons = inputs.creditGap
    ? [inputs.creditGap.code, ...rules, ...fraud.reject, ...fraud.review]
    : [...rules, ...fraud.reject, ...fraud.review, ...scoreReasons(scored, inputs)];
  if (outcome === 'rejected' && reasons.length === 0) reasons.push('SCORE_LOW');
  if (outcome === 'manual_review' && reasons.length === 0) reasons.push('SCORE_REVIEW');
  return {
    outcome,
    policyVersion: policy.version,
    score: scored.score,
    band: scored.band,
    limit: scored.limit,
    rulesHit,
    reasons: [...new Set(reasons)].slice(0, 3),
    inputs,
    decidedAt,
    decidedBy: 'auto',
  };
}
