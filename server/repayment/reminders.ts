import type { RepaymentPlanDoc } from './plan-doc';
import { daysBetween } from './due-dates';

/** The reminders of an instalment, most urgent first (a borrower gets at most one a day: the first). */
export const REMINDER_KINDS = [
  'overdue_day_7',
  'overdue_day_3',
  'overdue_day_1',
  'due_today',
  'due_in_3_days',
] as const;

/** One kind of repayment reminder. */
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Days from the due date to the reminder's day: 3 days before, on the day, 1/3/7 days after. */
const DAYS_AFTER_DUE: Record<ReminderKind, number> = {
  due_in_3_days: -3,
  due_today: 0,
  overdue_day_1: 1,
  overdue_day_3: 3,
  overdue_day_7: 7,
};

/** A reminder one plan is due for on a day. */
export interface DueReminder {
  kind: ReminderKind;
  /** The earliest unpaid instalment's due date. */
  dueDate: string;
  plan: RepaymentPlanDoc;
}

/**
 * The reminder `plan` is due for on `day` (China), if any: by the earliest unpaid instalment's due
 * date — 3 days before it, on it, and 1, 3 and 7 days after it. Settled and written-off loans get none.
 */
export function reminderFor(plan: RepaymentPlanDoc, day: string): DueReminder | undefined {
  if (plan.status !== 'repaying' && plan.status !== 'overdue') return undefined;
  const next = plan.instalments.find((i) => i.status !== 'paid');
  if (!next) return undefined;
  const after = daysBetween(next.dueDate, day);
  const kind = REMINDER_KINDS.find((k) => DAYS_AFTER_DUE[k] === after);
  return kind ? { kind, dueDate: next.dueDate, plan } : undefined;
}

/** Per borrower, the most urgent of the reminders due today (at most one reminder a day each). */
export function oneReminderPerBorrower(reminders: readonly DueReminder[]): DueReminder[] {
  const chosen = new Map<string, DueReminder>();
  const rank = (r: DueReminder): number => REMINDER_KINDS.indexOf(r.kind);
  for (const reminder of reminders) {
    const known = chosen.get(reminder.plan.openid);
    if (!known || rank(reminder) < rank(known)) chosen.set(reminder.plan.openid, reminder);
  }
  return [...chosen.values()];
}
