import type { Fen } from '../../../../typings/money';
import type {
  InstalmentStatus,
  PaymentView,
  RepaymentKind,
  RepaymentQuote,
  ScheduleView,
} from '../../../../typings/repayment';
import { aprPercent, dateTime, yuan } from '../../../utils/format';
import type { StatusKind } from '../../../utils/status-kind';

/** Plain-language label of an instalment's state (no alarming words). */
const INSTALMENT_LABELS: Record<InstalmentStatus, string> = {
  scheduled: '待还',
  overdue: '待尽快还款',
  paid: '已还清',
};

/** What each pay button says. */
export const KIND_LABELS: Record<RepaymentKind, string> = {
  due: '还本期',
  overdue: '还逾期款项',
  payoff: '提前结清',
};

/** One rendered schedule row. */
export interface ScheduleRow {
  period: number;
  dueDate: string;
  amount: string;
  paid: string;
  status: string;
  paidOff: boolean;
}

/** Rows of the dated schedule with paid state. */
export function scheduleRows(schedule: ScheduleView): ScheduleRow[] {
  return schedule.instalments.map((i) => ({
    period: i.period,
    dueDate: i.dueDate,
    amount: yuan((i.principal + i.interest + i.penalty - i.relief) as Fen),
    paid: yuan(i.paid),
    status: INSTALMENT_LABELS[i.status],
    paidOff: i.status === 'paid',
  }));
}

/** The headline of the page. */
export function headline(schedule: ScheduleView): string {
  if (schedule.status === 'settled') return '借款已结清';
  if (schedule.status === 'written_off') return '借款已结束';
  if (schedule.overdueAmount > 0) return `待还 ${yuan(schedule.overdueAmount)}，还款后即恢复正常`;
  return schedule.next ? `下期 ${schedule.next.dueDate} 应还 ${yuan(schedule.next.amount)}` : '暂无待还款项';
}

/** How the headline is drawn: settled is done, something overdue needs the borrower, otherwise in progress. */
export function headlineKind(schedule: ScheduleView): StatusKind {
  if (schedule.status === 'settled') return 'success';
  if (schedule.overdueAmount > 0) return 'needs_you';
  return 'progress';
}

/** Which pay buttons make sense now. */
export function payKinds(schedule: ScheduleView): RepaymentKind[] {
  if (schedule.status === 'settled' || schedule.status === 'written_off') return [];
  return schedule.overdueAmount > 0 ? ['overdue', 'payoff'] : ['due', 'payoff'];
}

/** The quote shown before paying. */
export function quoteText(quote: RepaymentQuote): { title: string; lines: string[] } {
  const lines = [`本金 ${yuan(quote.breakdown.principal)}`, `利息 ${yuan(quote.breakdown.interest)}`];
  if (quote.breakdown.penalty > 0) lines.push(`罚息 ${yuan(quote.breakdown.penalty)}`);
  if (quote.kind === 'payoff' && quote.interestDays !== undefined)
    lines.push(`本期利息按实际借款 ${quote.interestDays} 天计算`);
  return { title: `${KIND_LABELS[quote.kind]} ${yuan(quote.amount)}`, lines };
}

/** Receipt lines of the history. */
export function historyRows(payments: PaymentView[]): Array<{ id: string; text: string; state: string }> {
  return payments.map((p) => ({
    id: p.outTradeNo,
    text: `${KIND_LABELS[p.kind]} ${yuan(p.amount)}`,
    state:
      p.status === 'applied'
        ? `已到账${p.receipt && p.receipt.refunded > 0 ? `，多付 ${yuan(p.receipt.refunded)} 已原路退回` : ''}`
        : p.status === 'closed'
          ? '已关闭'
          : '待支付',
  }));
}

/** 我的合同: this loan's figures and the evidence of the signature. */
export function contractLines(schedule: ScheduleView): string[] {
  const c = schedule.contract;
  return [
    `出借人：${c.lenderName}`,
    `借款金额：${yuan(schedule.principal)}，年化利率：${aprPercent(schedule.aprBps)}`,
    `放款日：${schedule.disbursedOn}，共 ${schedule.instalments.length} 期`,
    schedule.dueDayRule,
    `协议版本：${c.version}`,
    `协议摘要（SHA-256）：${c.textSha256}`,
    `签署时间：${dateTime(c.signedAt)}`,
  ];
}
