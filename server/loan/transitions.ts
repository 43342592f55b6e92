import type { LoanStatus } from '../../typings/loan';

/**
 * The only place that says which status may follow which. The payout side owns what happens after
 * `approved` but asks this table too.
 */
export const TRANSITIONS: Readonly<Record<LoanStatus, readonly LoanStatus[]>> = {
  submitted: ['scoring', 'cancelled'],
  scoring: ['approved', 'manual_review', 'rejected'],
  manual_review: ['approved', 'awaiting_second_approval', 'rejected', 'cancelled'],
  awaiting_second_approval: ['approved', 'rejected', 'cancelled'],
  approved: ['disbursing', 'cancelled'],
  rejected: ['appealed'],
  appealed: ['approved', 'awaiting_second_approval', 'appeal_denied'],
  appeal_denied: [],
  cancelled: [],
  disbursing: ['awaiting_confirmation', 'disbursed', 'disbursement_failed'],
  awaiting_confirmation: ['disbursed', 'disbursement_failed'],
  disbursement_failed: ['disbursing', 'cancelled'],
  disbursed: ['repaying'],
  repaying: ['overdue', 'settled', 'written_off'],
  overdue: ['repaying', 'settled', 'written_off'],
  settled: [],
  written_off: [],
};

/** Every status, in table order. */
export const ALL_STATUSES = Object.keys(TRANSITIONS) as LoanStatus[];

/** True when `to` may follow `from`. */
export function canTransition(from: LoanStatus, to: LoanStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** True when nothing may follow `status`. */
export function isTerminal(status: LoanStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Statuses of a loan whose money has landed and is not yet repaid (no new loan until it is settled). */
export const OUTSTANDING_STATUSES: readonly LoanStatus[] = ['disbursed', 'repaying', 'overdue'];

/**
 * Statuses that occupy the borrower's single active-application slot: an application in progress
 * or a loan not yet repaid. A rejected application frees it; appealing takes it again; settling
 * or writing off the loan frees it.
 */
export const ACTIVE_STATUSES: readonly LoanStatus[] = [
  'submitted',
  'scoring',
  'manual_review',
  'awaiting_second_approval',
  'approved',
  'appealed',
  'disbursing',
  'awaiting_confirmation',
  'disbursement_failed',
  ...OUTSTANDING_STATUSES,
];

/** True when an application in `status` blocks a new one. */
export function isActive(status: LoanStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/** Statuses a borrower may cancel from (a subset of those the table allows to reach `cancelled`). */
export const BORROWER_CANCELLABLE: readonly LoanStatus[] = [
  'submitted',
  'manual_review',
  'awaiting_second_approval',
  'approved',
];

/** Plain-language Chinese label of each status, for timelines and messages. */
export const STATUS_LABELS: Readonly<Record<LoanStatus, string>> = {
  submitted: '申请已提交',
  scoring: '正在审核',
  manual_review: '人工审核中',
  awaiting_second_approval: '复核中',
  approved: '审核通过',
  rejected: '未通过审核',
  cancelled: '申请已取消',
  appealed: '复议申请已提交',
  appeal_denied: '复议未通过',
  disbursing: '放款处理中',
  awaiting_confirmation: '待确认收款',
  disbursed: '已放款',
  disbursement_failed: '放款失败',
  repaying: '还款中',
  overdue: '已逾期',
  settled: '已结清',
  written_off: '已核销',
};
