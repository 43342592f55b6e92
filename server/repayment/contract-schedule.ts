import type { Fen } from '../../typings/money';
import type { ApplicationDoc } from '../loan/application-doc';
import { repaymentSchedule } from '../loan/schedule';
import type { RepaymentConfig } from './config';
import { chinaDay, dateOf, dueDateOf, DUE_DAY_RULE } from './due-dates';
import { formatDate } from '../../shared/china-date';
import { nextDueKeyOf, type PlanInstalment, type RepaymentPlanDoc } from './plan-doc';

/**
 * The contract schedule fixed at disbursement: the quote's own instalments (same integer-fen
 * rounding, so what the borrower signed is what they owe), each dated by the month-end rule.
 */
export function contractPlan(
  app: ApplicationDoc,
  disbursedAt: number,
  config: RepaymentConfig,
): RepaymentPlanDoc {
  const disbursedOn = chinaDay(disbursedAt);
  const start = dateOf(disbursedOn);
  const zero = 0 as Fen;
  const instalments: PlanInstalment[] = repaymentSchedule(
    app.amount,
    app.aprBps,
    app.termMonths,
    app.method,
  ).map((i) => ({
    period: i.period,
    dueDate: formatDate(dueDateOf(start, i.period)),
    principal: i.principal,
    interest: i.interest,
    penalty: zero,
    waivedPenalty: zero,
    earlyDiscount: zero,
    paidPrincipal: zero,
    paidInterest: zero,
    paidPenalty: zero,
    status: 'scheduled',
  }));
  return {
    _id: app._id,
    openid: app.openid,
    principal: app.amount,
    termMonths: app.termMonths,
    method: app.method,
    disbursedAt,
    disbursedOn,
    dueDayRule: DUE_DAY_RULE,
    terms: {
      aprBps: app.aprBps,
      penaltyAprBps: config.penaltyAprBps,
      graceDays: config.graceDays,
      feeAprBps: config.feeAprBps,
      allocation: ['penalty', 'interest', 'principal'],
      dayBasis: 365,
    },
    instalments,
    status: 'repaying',
    version: 1,
    accruedThrough: disbursedOn,
    openOrder: null,
    contract: {
      version: app.consent.version,
      textSha256: app.consent.textSha256,
      signedAt: app.consent.at,
      lenderName: config.lenderName,
    },
    nextDueKey: nextDueKeyOf(instalments),
    totalPaid: zero,
    updatedAt: disbursedAt,
  };
}
