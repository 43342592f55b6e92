import { nextDaytime } from '../outbox/daytime';
import { OUTBOX, type ComposedNoticeDoc, type OutboxDoc } from '../outbox/outbox-doc';
import type { ReminderTemplate } from '../outbox/template';
import { inBatches } from '../runtime/in-batches';
import { pagesByCursor } from '../storage/cursor-pages';
import type { RepaymentDeps } from './deps';
import { addDays } from './due-dates';
import { dayKey, REPAYMENT_COLLECTIONS as C, type RepaymentPlanDoc } from './plan-doc';
import { reminderMessage } from './reminder-message';
import { oneReminderPerBorrower, reminderFor, type DueReminder } from './reminders';

/** Plans read per page. */
const PAGE = 1_000;
/** Reminders queued at once (each its own transaction over its own document). */
const CONCURRENCY = 8;

/** What one day's reminders did. */
export interface ReminderReport {
  /** Borrowers due a reminder today. */
  due: number;
  /** Reminders queued now (delivered by the notify timer, in the daytime). */
  queued: number;
  /** Borrowers already reminded today (a replayed tick): nothing queued again. */
  alreadyToday: number;
}

/**
 * The outbox id of a borrower's reminder of one China day: one document per borrower per day, so
 * the id itself is the at-most-one-reminder-a-day rule (no shared document, no counter).
 */
export function reminderId(openid: string, day: string): string {
  return `remind-${day}-${openid}`;
}

/** Repaying plans whose earliest unpaid instalment is due today or in 3 days (one indexed query). */
export async function upcomingPlans(deps: RepaymentDeps, day: string): Promise<RepaymentPlanDoc[]> {
  const filter = { status: 'repaying', nextDueKey: { $in: [dayKey(day), dayKey(addDays(day, 3))] } };
  const plans: RepaymentPlanDoc[] = [];
  for await (const page of pagesByCursor<RepaymentPlanDoc>(deps.docs, C.plans, filter, PAGE))
    plans.push(...page);
  return plans;
}

/** Queues one reminder unless the borrower already has today's; answers whether it was queued. */
async function queueOne(
  deps: RepaymentDeps,
  template: ReminderTemplate,
  day: string,
  reminder: DueReminder,
): Promise<boolean> {
  const message = reminderMessage(template, reminder);
  const id = reminderId(reminder.plan.openid, day);
  return deps.docs.transact(async (tx) => {
    if (await tx.get<OutboxDoc>(OUTBOX, id)) return false;
    const at = deps.clock.now();
    const doc: ComposedNoticeDoc = {
      _id: id,
      openid: reminder.plan.openid,
      applicationId: reminder.plan._id,
      status: reminder.plan.status,
      createdAt: at,
      state: 'pending',
      attempts: 0,
      // Collection contact only in the daytime: a reminder queued at night waits for 08:00.
      nextAttemptAt: nextDaytime(at),
      claimExpiresAt: 0,
      topic: `reminder:${reminder.kind}`,
      message,
    };
    await tx.put(OUTBOX, doc);
    return true;
  });
}

/**
 * Queues `day`'s repayment reminders for `plans` (as they stand after the day's accrual): due in 3
 * days, due today, overdue day 1/3/7 — at most one per borrower a day, the most urgent. A replayed
 * tick finds each borrower's reminder of the day already queued and queues nothing.
 */
export async function queueReminders(
  deps: RepaymentDeps,
  template: ReminderTemplate,
  day: string,
  plans: readonly RepaymentPlanDoc[],
): Promise<ReminderReport> {
  const due = oneReminderPerBorrower(
    plans.map((p) => reminderFor(p, day)).filter((r): r is DueReminder => r !== undefined),
  );
  const report: ReminderReport = { due: due.length, queued: 0, alreadyToday: 0 };
  const queued = await inBatches(due, CONCURRENCY, (r) => queueOne(deps, template, day, r));
  for (const q of queued) report[q ? 'queued' : 'alreadyToday'] += 1;
  return report;
}
