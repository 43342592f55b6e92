import { reminderTemplate } from '../../server/outbox/template';
import { runDailyTick, type DailyTickReport } from '../../server/repayment/daily-tick';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { callerVerdict, TIMER_ENTRY } from '../../server/runtime/caller-table';
import { refusal } from '../../server/runtime/handler';
import type { ApiResult } from '../../typings/api';

/**
 * `repaymentDaily`: the daily tick at 00:05 China time — overdue marking, penalty interest, and the
 * day's reminders queued for the notify timer (delivered from 08:00). The caller table refuses
 * anyone but the timer and the console before the database is touched.
 */
export async function main(event: unknown): Promise<DailyTickReport | ApiResult<never>> {
  if (callerVerdict('repaymentDaily', TIMER_ENTRY, currentCaller(), event) !== 'allow')
    return refusal('repaymentDaily');
  return runDailyTick(repaymentDepsFromEnv(), reminderTemplate());
}
