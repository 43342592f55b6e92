import type { ApplyBlock, IdentityStatus } from '../../../typings/identity';
import type { ApplicationView, QuoteOffer } from '../../../typings/loan';
import type { ScheduleView } from '../../../typings/repayment';
import { yuan } from '../../utils/format';
import { ACTION_LABELS } from '../../utils/labels';
import { expectedDecisionText } from '../../utils/review-promise';
import { ROUTES } from '../../utils/routes';
import { statusKind, type StatusKind } from '../../utils/status-kind';

/** The borrower's situation at a glance. */
export type HomeState =
  | 'unverified'
  | 'blocked'
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
  /** How the card is drawn (wl-status), as every page draws an outcome. */
  kind: StatusKind;
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
      kind: 'needs_you',
      title: '有一笔款项待还',
      detail: `待还 ${yuan(schedule.overdueAmount)}，还款后即恢复正常`,
      actionText: ACTION_LABELS.repay,
      actionUrl,
    };
  }
  return {
    state: 'repaying',
    kind: 'progress',
    title: '还款中',
    detail: schedule.next
      ? `下期 ${schedule.next.dueDate} 应还 ${yuan(schedule.next.amount)}`
      : '暂无待还款项',
    actionText: ACTION_LABELS.schedule,
    actionUrl,
  };
}

/** Why the borrower's own rights requests stop new applications, as the home card says it. */
const BLOCKED_DETAIL: Record<ApplyBlock, string> = {
  consent_withdrawn: '您已撤回个人信息处理同意，可在“我的”中重新同意',
  deletion_requested: '您已申请注销账号，可在“我的”中撤销注销申请',
  account_closed: '您的账号已注销，如需继续使用请联系客服',
};

/** Decides the home page's headline and next action from the server's answers. */
export function homeSummary(
  identity: Pick<IdentityStatus, 'verified' | 'applyBlock'>,
  latest: ApplicationView | undefined,
  offer: QuoteOffer,
  schedule?: ScheduleView,
): HomeSummary {
  const canApply: HomeSummary = identity.applyBlock
    ? {
        state: 'blocked',
        kind: 'needs_you',
        title: '暂不能申请借款',
        detail: BLOCKED_DETAIL[identity.applyBlock],
        actionText: ACTION_LABELS.me,
        actionUrl: ROUTES.me,
      }
    : {
        state: 'can_apply',
        kind: 'success',
        title: '可申请借款',
        detail: `最高可借 ${yuan(offer.maxAmount)}`,
        actionText: ACTION_LABELS.apply,
        actionUrl: ROUTES.apply,
      };
  if (!identity.verified) {
    return {
      state: 'unverified',
      kind: 'needs_you',
      title: '尚未实名认证',
      detail: '完成实名认证后即可申请借款',
      actionText: ACTION_LABELS.verify,
      actionUrl: ROUTES.identity,
    };
  }
  if (!latest || CLOSED.includes(latest.status)) return canApply;
  if (schedule && REPAYING_STATUSES.includes(latest.status)) return repaymentCard(latest.id, schedule);
  const step = latest.timeline[latest.timeline.length - 1]?.note ?? '';
  const progress = ROUTES.progress(latest.id);
  const amount = yuan(latest.amount);
  const kind = statusKind(latest.status);
  switch (latest.status) {
    case 'awaiting_confirmation':
      return {
        state: 'awaiting_confirmation',
        kind,
        title: '待确认收款',
        detail: `${amount} 已发放，请确认收款`,
        actionText: ACTION_LABELS.confirm,
        actionUrl: progress,
      };
    case 'disbursed':
      return {
        state: 'disbursed',
        kind,
        title: '已放款',
        detail: `${amount} 已到账微信零钱`,
        actionText: ACTION_LABELS.progress,
        actionUrl: progress,
      };
    case 'rejected':
      return {
        state: 'rejected',
        kind,
        title: '申请未通过',
        detail: `可查看原因并${ACTION_LABELS.appeal}`,
        actionText: ACTION_LABELS.reasons,
        actionUrl: progress,
      };
    case 'disbursement_failed':
      return {
        state: 'failed',
        kind,
        title: '放款未成功',
        detail: step,
        actionText: ACTION_LABELS.progress,
        actionUrl: progress,
      };
    default:
      return {
        state: 'in_progress',
        kind,
        title: '申请处理中',
        detail: `${amount} · ${expectedDecisionText(latest) || step}`,
        actionText: ACTION_LABELS.progress,
        actionUrl: progress,
      };
  }
}
