/** AML transaction-monitoring thresholds (configuration). */
export interface AmlPolicy {
  /** Cumulative applied amount per identity per UTC+8 day that triggers a report (fen). */
  dailyAmountFen: number;
  /** Cumulative applied amount per identity per month (fen). */
  monthlyAmountFen: number;
  /** Applications per identity per day (velocity). */
  dailyCount: number;
  /** Applications per identity per month. */
  monthlyCount: number;
  /** An amount at or above this share (percent) of the largest offer counts as "just under the cap". */
  structuringBandPct: number;
  /** Near-cap applications per month that count as structuring. */
  structuringCount: number;
}

/** Defaults. */
export const DEFAULT_AML_POLICY: AmlPolicy = {
  dailyAmountFen: 1_000_000,
  monthlyAmountFen: 5_000_000,
  dailyCount: 4,
  monthlyCount: 12,
  structuringBandPct: 90,
  structuringCount: 4,
};

/** Running totals for one identity and one period. */
export interface AmlTotals {
  amount: number;
  count: number;
  nearCap: number;
}

/** Codes of AML findings. */
export type AmlFinding =
  'DAILY_AMOUNT' | 'MONTHLY_AMOUNT' | 'DAILY_VELOCITY' | 'MONTHLY_VELOCITY' | 'STRUCTURING';

/** Adds one application to running totals. */
export function addToTotals(
  totals: AmlTotals,
  amount: number,
  maxOffer: number,
  policy: AmlPolicy,
): AmlTotals {
  const nearCap = amount * 100 >= maxOffer * policy.structuringBandPct ? 1 : 0;
  return { amount: totals.amount + amount, count: totals.count + 1, nearCap: totals.nearCap + nearCap };
}

/** What the updated day and month totals reveal; empty when nothing. */
export function amlFindings(day: AmlTotals, month: AmlTotals, policy: AmlPolicy): AmlFinding[] {
  const findings: AmlFinding[] = [];
  if (day.amount >= policy.dailyAmountFen) findings.push('DAILY_AMOUNT');
  if (month.amount >= policy.monthlyAmountFen) findings.push('MONTHLY_AMOUNT');
  if (day.count >= policy.dailyCount) findings.push('DAILY_VELOCITY');
  if (month.count >= policy.monthlyCount) findings.push('MONTHLY_VELOCITY');
  if (month.nearCap >= policy.structuringCount) findings.push('STRUCTURING');
  return findings;
}
