import type { RepaymentKind, RepaymentQuote } from '../../../../typings/repayment';
import { isRetryable, messageOf } from '../../../services/errors';
import {
  getRepaymentHistory,
  getRepaymentQuote,
  getSchedule,
  payRepayment,
} from '../../../services/repayment';
import type { LoadStatus } from '../../../utils/load-status';
import { randomToken } from '../../../utils/random-token';
import { openPayment, requestSubscriptions } from '../../../utils/wechat';
import { backendConfig } from '../../../config';
import type { StatusKind } from '../../../utils/status-kind';
import {
  contractLines,
  headline,
  headlineKind,
  historyRows,
  KIND_LABELS,
  payKinds,
  quoteText,
  scheduleRows,
} from './view';

/** How often the page asks the server after the payment sheet closed, before saying "confirming". */
const CONFIRM_CHECKS = 5;

/** Repayment: the dated schedule with paid state, quote-then-pay, and the payment history. */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    loanId: '',
    headline: '',
    headlineKind: 'progress' as StatusKind,
    retryable: true,
    resultKind: 'progress' as StatusKind,
    rows: [] as ReturnType<typeof scheduleRows>,
    kinds: [] as Array<{ kind: RepaymentKind; label: string }>,
    quote: null as null | { title: string; lines: string[] },
    quoteKind: '' as RepaymentKind | '',
    paying: false,
    result: '',
    history: [] as ReturnType<typeof historyRows>,
    contract: [] as string[],
  },
  methods: {
    onLoad(query: { id?: string }) {
      this.setData({ loanId: query.id ?? '' });
      if (!query.id) {
        this.setData({ load: 'error', error: '未找到该借款', retryable: false });
        return;
      }
      void this.refresh();
    },
    async refresh() {
      try {
        const [schedule, history] = await Promise.all([
          getSchedule(this.data.loanId),
          getRepaymentHistory(this.data.loanId),
        ]);
        this.setData({
          load: 'ready',
          headline: headline(schedule),
          headlineKind: headlineKind(schedule),
          rows: scheduleRows(schedule),
          kinds: payKinds(schedule).map((kind) => ({ kind, label: KIND_LABELS[kind] })),
          history: historyRows(history.payments),
          contract: contractLines(schedule),
        });
        return history.payments;
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error), retryable: isRetryable(error) });
        return [];
      }
    },
    async onQuote(event: { currentTarget: { dataset: { kind: RepaymentKind } } }) {
      const kind = event.currentTarget.dataset.kind;
      this.setData({ result: '', quote: null });
      try {
        const quote: RepaymentQuote = await getRepaymentQuote(this.data.loanId, kind);
        this.setData({ quote: quoteText(quote), quoteKind: kind });
        (this as unknown as { requestId?: string }).requestId = randomToken();
      } catch (error) {
        this.setData({ result: messageOf(error), resultKind: 'failed' });
      }
    },
    async onPay() {
      const kind = this.data.quoteKind;
      const self = this as unknown as { requestId?: string };
      if (!kind || this.data.paying) return;
      self.requestId ??= randomToken();
      this.setData({ paying: true, result: '' });
      // The natural moment for the next reminder's permission: inside this tap, before paying; the
      // answer never blocks the payment (without it the reminder comes as an SMS).
      await requestSubscriptions(backendConfig.reminderTemplateIds);
      try {
        const order = await payRepayment(this.data.loanId, kind, self.requestId);
        await openPayment(order.payment);
        // Whatever the sheet said, the server decides what the borrower sees. The schedule is read
        // after the history shows the payment applied, so it never shows the instalment still due.
        for (let check = 0; check < CONFIRM_CHECKS; check += 1) {
          const { payments } = await getRepaymentHistory(this.data.loanId);
          const mine = payments.find((p) => p.outTradeNo === order.outTradeNo);
          if (mine?.status === 'applied') {
            self.requestId = undefined;
            await this.refresh();
            this.setData({ result: '还款成功', resultKind: 'success', quote: null, quoteKind: '' });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 300 * (check + 1)));
        }
        this.setData({ result: '支付结果确认中，请稍后查看还款记录', resultKind: 'progress' });
      } catch (error) {
        this.setData({ result: messageOf(error), resultKind: 'failed' });
      } finally {
        this.setData({ paying: false });
      }
    },
  },
});
