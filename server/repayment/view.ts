import type { Fen } from '../../typings/money';
import type { InstalmentView, PaymentView, ScheduleView } from '../../typings/repayment';
import { daysPastDue } from './accrue';
import { remainingOf, type RepaymentOrderDoc, type RepaymentPlanDoc } from './plan-doc';

/** The borrower's view of a plan on `today`. */
export function scheduleView(plan: RepaymentPlanDoc, today: string): ScheduleView {
  const instalments: InstalmentView[] = plan.instalments.map((i) => ({
    period: i.period,
    dueDate: i.dueDate,
    principal: i.principal,
    interest: i.interest,
    penalty: i.penalty,
    relief: (i.waivedPenalty + i.earlyDiscount) as Fen,
    paid: (i.paidPrincipal + i.paidInterest + i.paidPenalty) as Fen,
    remaining: remainingOf(i) as Fen,
    status: i.status,
  }));
  const next = instalments.find((i) => i.status !== 'paid');
  return {
    loanId: plan._id,
    status: plan.status,
    principal: plan.principal,
    aprBps: plan.terms.aprBps,
    disbursedOn: plan.disbursedOn,
    dueDayRule: plan.dueDayRule,
    instalments,
    next: next ? { period: next.period, dueDate: next.dueDate, amount: next.remaining } : null,
    overdueAmount: instalments
      .filter((i) => i.status === 'overdue')
      .reduce((s, i) => s + i.remaining, 0) as Fen,
    daysPastDue: daysPastDue(plan, today),
    totalPaid: plan.totalPaid,
    contract: plan.contract,
  };
}

/** One order as the borrower's payment history shows it. */
export function paymentView(order: RepaymentOrderDoc): PaymentView {
  const status =
    order.state === 'applied' ? 'applied' : order.state === 'closed' ? 'closed' : 'awaiting_payment';
  return {
    outTradeNo: order._id,
    kind: order.kind,
    amount: order.amount,
    status,
    createdAt: order.createdAt,
    ...(order.state === 'applied' && order.allocation
      ? {
          receipt: {
            transactionId: order.transactionId ?? '',
            paidAt: order.appliedAt ?? order.createdAt,
            principal: order.allocation.principal,
            interest: order.allocation.interest,
            penalty: order.allocation.penalty,
            refunded: (order.refund?.amount ?? 0) as Fen,
          },
        }
      : {}),
  };
}
