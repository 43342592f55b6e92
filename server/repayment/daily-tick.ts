import type { ReminderTemplate } from '../outbox/template';
import type { RepaymentDeps } from './deps';
import { chinaDay } from './due-dates';
import { accrueOverdue, type OverdueTickReport } from './overdue-tick';
import { queueReminders, upcomingPlans, type ReminderReport } from './remind';

/** What one run of the daily repayment timer did. */
export interface DailyTickReport extends OverdueTickReport {
  reminders: ReminderReport;
}

/**
 * The daily repayment timer (China day by the product clock): overdue marking and penalty accrual,
 * then the day's reminders from the plans as the accrual left them (plus those due today or in 3
 * days) — nothing read twice. Safe to replay: a second run of the same day changes and queues nothing.
 */
export async function runDailyTick(
  deps: RepaymentDeps,
  template: ReminderTemplate,
): Promise<DailyTickReport> {
  const day = chinaDay(deps.clock.now());
  const [{ report, pastDue }, upcoming] = await Promise.all([
    accrueOverdue(deps, day),
    upcomingPlans(deps, day),
  ]);
  const reminders = await queueReminders(deps, template, day, [...pastDue, ...upcoming]);
  return { ...report, reminders };
}
