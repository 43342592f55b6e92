import type { ApplicationView, QuoteOffer } from '../../../typings/loan';
import type { ScheduleView } from '../../../typings/repayment';
import { yuan } from '../../utils/format';
import { ROUTES } from '../../utils/routes';

/** The borrower's situation at a glance. */
export type HomeState =
  | 'unverified'
  | 'can_apply'
  | 'in_progress'
  | 'awaiting_confirmation'
  | 'disbursed'
  | 'repaying'
  | 'repay_now'
  | 'rejected'
  | 'failed';

/** What the home page renders: one headline, one detail line, one next action. */
export interface HomeSummary {
  state: HomeState;
  title: string;
  detail: string;
  actionText: string;
  actionUrl: string;
}

/** Statuses that end an application for the home page (a new one may be started). */
const CLOSED = ['cancelled', 'appeal_denied', 'settled', 'written_off'];

/** Statuses whose home card comes from the repayment schedule. */
export const REPAYING_STATUSES = ['repaying', 'overdue'];

/**
 * The card of a loan being repaid: the next due date and amount, or what is overdue — worded as
 * what to do next, never as a reproach.
 */
function repaymentCard(loanId: string, schedule: ScheduleView): HomeSummary {
  const actionUrl = ROUTES.repay(loanId);
  if (schedule.overdueAmount > 0) {
    return {
      state: 'repay_now',
      title: '有一笔款项待还',
      detail: `待还 ${yuan(schedule.overdueAmount)}，还款后即恢复正常`,
      actionText: '去还款',
      actionUrl,
    };
  }
  return {
    state: 'repaying',
    title: '还款中',
    detail: schedule.next
      ? `下期 ${schedule.next.dueDate} 应还 ${yuan(schedule.next.amount)}`
      : '暂无待还款项',
    actionText: '查看还款计划',
    actionUrl,
  };
}

/** Decides the home page's headline and next action from the server's answers. */
export function homeSummary(
  verified: boolean,
  latest: ApplicationView | undefined,
  offer: QuoteOffer,
  schedule?: ScheduleView,
): HomeSummary {
  const canApply: HomeSummary = {
    state: 'can_apply',
    title: '可申请借款',
    detail: `最高可借 ${yuan(offer.maxAmount)}`,
    actionText: '立即申请',
    actionUrl: ROUTES.apply,
  };
  if (!verified) {
    return {
      state: 'unverified',
      title: '尚未实名认证',
      detail: '完成实名认证后即可申请借款',
      actionText: '去实名认证',
      actionUrl: ROUTES.identity,
    };
  }
  if (!latest || CLOSED.includes(latest.status)) return canApply;
  if (schedule && REPAYING_STATUSES.includes(latest.status)) return repaymentCard(latest.id, schedule);
  const step = latest.timeline[latest.timeline.length - 1]?.note ?? '';
  const progress = ROUTES.progress(latest.id);
  const amount = yuan(latest.amount);
  switch (latest.status) {
    case 'awaiting_confirmation':
      return {
        state: 'awaiting_confirmation',
        title: '待确认收款',
        detail: `${amount} 已发放，请确认收款`,
        actionText: '去确认收款',
        actionUrl: progress,
      };
    case 'disbursed':
      return {
        state: 'disbursed',
        title: '已放款',
        detail: `${amount} 已到账微信零钱`,
        actionText: '查看借款',
        actionUrl: progress,
      };
    case 'rejected':
      return {
        state: 'rejected',
        title: '申请未通过',
        detail: '可查看原因并申请人工复议',
        actionText: '查看原因',
        actionUrl: progress,
      };
    case 'disbursement_failed':
      return {
        state: 'failed',
        title: '放款未成功',
        detail: step,
        actionText: '查看处理方式',
        actionUrl: progress,
      };
    default:
      return {
        state: 'in_progress',
        title: '申请处理中',
        detail: `${amount} · ${step}`,
        actionText: '查看进度',
        actionUrl: progress,
      };
  }
}
