import { runOverdueTick, type OverdueTickReport } from '../../server/repayment/overdue-tick';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';

/** `repaymentDaily`: the daily overdue tick at 00:05 China time (overdue marking, penalty interest). */
export async function main(): Promise<OverdueTickReport> {
  return runOverdueTick(repaymentDepsFromEnv());
}
