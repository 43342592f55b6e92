import type { Instalment } from '../../../typings/loan';
import { yuan } from '../../utils/format';

/** One schedule line as rendered: every amount already in yuan. */
export interface ScheduleRow {
  period: number;
  /** Due date `YYYY-MM-DD`, or '' when the loan is not dated yet. */
  dueDate: string;
  principal: string;
  interest: string;
  total: string;
}

/** Formats a repayment schedule for wl-schedule, with each instalment's due date when known. */
export function scheduleRows(schedule: Instalment[], dueDates: string[] = []): ScheduleRow[] {
  return schedule.map((i, n) => ({
    period: i.period,
    dueDate: dueDates[n] ?? '',
    principal: yuan(i.principal),
    interest: yuan(i.interest),
    total: yuan(i.total),
  }));
}
