import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { appendAudit } from '../audit/audit-log';
import type { BorrowerDoc, PeriodTotals } from '../borrowers/borrower-doc';
import { chinaDayKey, chinaMonthKey } from '../../shared/china-date';
import { addToTotals, amlFindings, type AmlFinding, type AmlPolicy, type AmlTotals } from './aml';

/** Reports filed for operators. */
export const AML_REPORTS = 'amlReports';

/** The totals of `key`'s period: the stored ones when they are of that period, else empty. */
function periodTotals(stored: PeriodTotals | undefined, key: string): PeriodTotals {
  return stored?.key === key ? stored : { key, amount: 0, count: 0, nearCap: 0 };
}

/** A filed suspicious-activity report (no personal data: the identity by blind index). */
export interface AmlReportDoc extends StoredDoc {
  idHash: string;
  openid: string;
  applicationId: string;
  findings: AmlFinding[];
  /** The identity's totals: this borrower's and its co-holders' together. */
  day: AmlTotals;
  month: AmlTotals;
  /** The other openids of this identity whose totals were counted (absent when none). */
  coHolders?: string[];
  filedAt: number;
  status: 'open' | 'closed';
}

/** Sums totals of one period (the identity's: its holders' together). */
function sumTotals(all: AmlTotals[]): AmlTotals {
  return all.reduce(
    (sum, t) => ({
      amount: sum.amount + t.amount,
      count: sum.count + t.count,
      nearCap: sum.nearCap + t.nearCap,
    }),
    { amount: 0, count: 0, nearCap: 0 },
  );
}

/** Only the figures of a period's totals (a report keeps no period key of its own). */
function figuresOf(t: PeriodTotals): AmlTotals {
  return { amount: t.amount, count: t.count, nearCap: t.nearCap };
}

/**
 * Adds an application to the borrower's day and month totals (kept in the borrower document the
 * apply transaction writes anyway: exact, no counter document of its own) and judges the identity's
 * totals: the borrower's plus those of every other openid holding the same identity (`coHolders`,
 * read before the transaction: a co-holder's apply committing at the same instant may be missed by
 * this one, never by the next). A finding freezes the borrower and files a report, in the same
 * transaction.
 */
export async function monitorApplication(
  tx: TxDocs,
  event: {
    idHash: string;
    openid: string;
    applicationId: string;
    amount: number;
    maxOffer: number;
    at: number;
  },
  borrower: BorrowerDoc & StoredDoc,
  policy: AmlPolicy,
  coHolders: BorrowerDoc[] = [],
): Promise<{ borrower: BorrowerDoc & StoredDoc; findings: AmlFinding[] }> {
  const dayKey = chinaDayKey(event.at);
  const monthKey = chinaMonthKey(event.at);
  const own = {
    day: addToTotals(periodTotals(borrower.aml?.day, dayKey), event.amount, event.maxOffer, policy),
    month: addToTotals(periodTotals(borrower.aml?.month, monthKey), event.amount, event.maxOffer, policy),
  };
  const counted = {
    ...borrower,
    aml: { day: { key: dayKey, ...own.day }, month: { key: monthKey, ...own.month } },
  };
  const holders = coHolders.filter((b) => b._id !== borrower._id && b.identity?.idHash === event.idHash);
  const day = sumTotals([own.day, ...holders.map((b) => figuresOf(periodTotals(b.aml?.day, dayKey)))]);
  const month = sumTotals([
    own.month,
    ...holders.map((b) => figuresOf(periodTotals(b.aml?.month, monthKey))),
  ]);
  const findings = amlFindings(day, month, policy);
  if (findings.length === 0) return { borrower: counted, findings };
  const report: AmlReportDoc = {
    _id: `aml-${event.applicationId}`,
    idHash: event.idHash,
    openid: event.openid,
    applicationId: event.applicationId,
    findings,
    day,
    month,
    ...(holders.length > 0 ? { coHolders: holders.map((b) => b._id) } : {}),
    filedAt: event.at,
    status: 'open',
  };
  await tx.put(AML_REPORTS, report);
  const frozen = {
    ...counted,
    frozen: true,
    frozenReason: 'AML 交易监测命中，待人工核查',
    updatedAt: event.at,
  };
  await appendAudit(tx, {
    at: event.at,
    actor: 'aml-monitor',
    actorType: 'system',
    event: 'borrower.frozen',
    subject: `borrower:${event.openid}`,
    outcome: 'success',
    details: { reason: 'aml', findings, report: report._id },
  });
  return { borrower: frozen, findings };
}
