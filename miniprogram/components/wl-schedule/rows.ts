import type { Instalment } from '../../../typings/loan';
import { yuan } from '../../utils/format';

/** One schedule line as rendered: every amount already in yuan. */
export interface ScheduleRow {
  period: number;
  principal: string;
  interest: string;
  total: string;
}

/** Formats a repayment schedule for wl-schedule. */
export function scheduleRows(schedule: Instalment[]): ScheduleRow[] {
  return schedule.map((i) => ({
    period: i.period,
    principal: yuan(i.principal),
    interest: yuan(i.interest),
    total: yuan(i.total),
  }));
}
