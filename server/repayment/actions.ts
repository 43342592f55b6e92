import { z } from 'zod';
import type { PayAnswer, PaymentView, RepaymentQuote, ScheduleView } from '../../typings/repayment';
import { action } from '../runtime/handler';
import type { RepaymentDeps } from './deps';
import { payRepayment } from './pay';
import { ownPlan, planAsOf, today } from './plan-access';
import { REPAYMENT_COLLECTIONS as C, type RepaymentOrderDoc } from './plan-doc';
import { quoteRepayment } from './quote';
import { paymentView, scheduleView } from './view';

/** Loan ids as the loan domain issues them. */
const loanId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const kind = z.enum(['due', 'overdue', 'payoff']);
/** A client-chosen idempotency key, fixed once per pay tap sequence. */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** The `repayment` function's actions, all for the borrower's own loan (openid from the platform only). */
export function repaymentActions(deps: () => RepaymentDeps) {
  return {
    /** The dated contract schedule with paid amounts, status and the next due instalment. */
    schedule: action({
      input: z.strictObject({ loanId }),
      run: async (input, caller): Promise<ScheduleView> => {
        const d = deps();
        const day = today(d);
        const plan = planAsOf(await ownPlan(d, caller, input.loanId), day, d.clock.now());
        return scheduleView(plan, day);
      },
    }),
    /** What paying the current instalment, everything overdue, or the whole loan costs today. */
    quote: action({
      input: z.strictObject({ loanId, kind }),
      run: async (input, caller): Promise<RepaymentQuote> => {
        const d = deps();
        const day = today(d);
        const plan = planAsOf(await ownPlan(d, caller, input.loanId), day, d.clock.now());
        return quoteRepayment(plan, input.kind, day);
      },
    }),
    /** One cloudPay order for the quote (a repeat of requestId answers the same order). */
    pay: action({
      input: z.strictObject({ loanId, kind, requestId }),
      run: (input, caller): Promise<PayAnswer> => payRepayment(deps(), caller, input),
    }),
    /** Payments of the loan, newest first, with receipts once applied. */
    history: action({
      input: z.strictObject({ loanId }),
      run: async (input, caller): Promise<{ payments: PaymentView[] }> => {
        const d = deps();
        await ownPlan(d, caller, input.loanId);
        const orders = await d.docs.find<RepaymentOrderDoc>(
          C.orders,
          { loanId: input.loanId },
          { orderBy: { field: 'createdAt', direction: 'desc' }, limit: 100 },
        );
        return { payments: orders.map(paymentView) };
      },
    }),
  };
}
