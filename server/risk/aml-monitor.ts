import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { appendAudit } from '../audit/audit-log';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { chinaDayKey, chinaMonthKey } from '../../shared/china-date';
import { addToTotals, amlFindings, type AmlFinding, type AmlPolicy, type AmlTotals } from './aml';

/** Running totals per identity per day and month. */
export const AML_COUNTERS = 'amlCounters';
/** Reports filed for operators. */
export const AML_REPORTS = 'amlReports';

interface CounterDoc extends StoredDoc, AmlTotals {}

/** A filed suspicious-activity report (no personal data: the identity by blind index). */
export interface AmlReportDoc extends StoredDoc {
  idHash: string;
  openid: string;
  applicationId: string;
  findings: AmlFinding[];
  day: AmlTotals;
  month: AmlTotals;
  filedAt: number;
  status: 'open' | 'closed';
}

/**
 * Adds an application to the identity's day and month totals inside the apply transaction. A
 * finding freezes the borrower and files a report, in the same transaction.
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
): Promise<{ borrower: BorrowerDoc & StoredDoc; findings: AmlFinding[] }> {
  const empty: AmlTotals = { amount: 0, count: 0, nearCap: 0 };
  const dayId = `${event.idHash}-d${chinaDayKey(event.at)}`;
  const monthId = `${event.idHash}-m${chinaMonthKey(event.at)}`;
  const dayDoc = (await tx.get<CounterDoc>(AML_COUNTERS, dayId)) ?? { _id: dayId, ...empty };
  const monthDoc = (await tx.get<CounterDoc>(AML_COUNTERS, monthId)) ?? { _id: monthId, ...empty };
  const day = addToTotals(dayDoc, event.amount, event.maxOffer, policy);
  const month = addToTotals(monthDoc, event.amount, event.maxOffer, policy);
  await tx.put(AML_COUNTERS, { _id: dayId, ...day });
  await tx.put(AML_COUNTERS, { _id: monthId, ...month });
  const findings = amlFindings(day, month, policy);
  if (findings.length === 0) return { borrower, findings };
  const report: AmlReportDoc = {
    _id: `aml-${event.applicationId}`,
    idHash: event.idHash,
    openid: event.openid,
    applicationId: event.applicationId,
    findings,
    day,
    month,
    filedAt: event.at,
    status: 'open',
  };
  await tx.put(AML_REPORTS, report);
  const frozen = {
    ...borrower,
    frozen: true,
    frozenReason: 'AML 交易监测命中，待人工核查',
    version: borrower.version + 1,
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
