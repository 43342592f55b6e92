import type { PayAnswer, PaymentView, ScheduleView } from '../../typings/repayment';
import { advanceClock, callAs, pause, postJson, unwrap } from './http';

/** What the demo did with one repaying loan and where it ended. */
export interface RepaymentOutcome {
  openid: string;
  loanId: string;
  plan: 'early_settlement' | 'falls_overdue' | 'on_time';
  payments: number;
  finalStatus: string;
}

const DAY_MS = 86_400_000;

/** Quotes, pays (as the borrower, through cloudPay's payer endpoint) and waits for the result to apply. */
async function repay(
  baseUrl: string,
  openid: string,
  loanId: string,
  kind: 'due' | 'payoff',
  tag: string,
): Promise<void> {
  const order = unwrap(
    'repayment pay',
    await callAs<PayAnswer>(baseUrl, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind,
      requestId: `demo-${tag}`,
    }),
  );
  await postJson(baseUrl, '/_user/pay', { openid, package: order.payment.package });
  // The page waits for the server's answer the same way: until the payment shows as received.
  for (let check = 0; check < 50; check += 1) {
    const history = unwrap(
      'repayment history',
      await callAs<{ payments: PaymentView[] }>(baseUrl, openid, 'repayment', { action: 'history', loanId }),
    );
    if (history.payments.some((p) => p.outTradeNo === order.outTradeNo && p.status === 'applied')) return;
    await pause(100);
  }
  throw new Error(`repayment ${order.outTradeNo} was not applied`);
}

async function statusOf(baseUrl: string, openid: string, loanId: string): Promise<string> {
  return unwrap(
    'repayment schedule',
    await callAs<ScheduleView>(baseUrl, openid, 'repayment', { action: 'schedule', loanId }),
  ).status;
}

/**
 * After the payouts: the first repaying loan is settled early (interest by actual days), the
 * second pays its first instalment and then misses the second (overdue after the clock moves
 * 70 days), every other one pays each instalment on time.
 */
export async function runRepayments(
  baseUrl: string,
  loans: Array<{ openid: string; loanId: string }>,
): Promise<RepaymentOutcome[]> {
  const outcomes: RepaymentOutcome[] = loans.map((loan, index) => ({
    ...loan,
    plan: index === 0 ? 'early_settlement' : index === 1 ? 'falls_overdue' : 'on_time',
    payments: 0,
    finalStatus: '',
  }));
  const pay = async (o: RepaymentOutcome, kind: 'due' | 'payoff'): Promise<void> => {
    await repay(baseUrl, o.openid, o.loanId, kind, `${o.loanId}-${o.payments}`);
    o.payments += 1;
  };
  await advanceClock(baseUrl, 10 * DAY_MS);
  for (const o of outcomes) await pay(o, o.plan === 'early_settlement' ? 'payoff' : 'due');
  await advanceClock(baseUrl, 40 * DAY_MS);
  for (const o of outcomes.filter((x) => x.plan === 'on_time')) await pay(o, 'due');
  await advanceClock(baseUrl, 30 * DAY_MS);
  await pause(300);
  for (const o of outcomes) o.finalStatus = await statusOf(baseUrl, o.openid, o.loanId);
  return outcomes;
}
