import type { DocFilter, StoredDoc } from '../storage/doc-store';
import { accrueThrough } from './accrue';
import { followPlanStatus } from './apply-payment';
import type { RepaymentDeps } from './deps';
import { chinaDay } from './due-dates';
import { REPAYMENT_COLLECTIONS as C, type RepaymentPlanDoc } from './plan-doc';

/** Plans read per page. */
const PAGE = 500;
/** Plans written at once. */
const CONCURRENCY = 8;

/** What one daily tick did. */
export interface OverdueTickReport {
  day: string;
  examined: number;
  changed: number;
  becameOverdue: number;
}

/** Brings one plan up to `day` in its own transaction; answers the status move, if any. */
async function accruePlan(
  deps: RepaymentDeps,
  loanId: string,
  day: string,
): Promise<'none' | 'changed' | 'overdue'> {
  return deps.docs.transact(async (tx) => {
    const plan = await tx.get<RepaymentPlanDoc>(C.plans, loanId);
    if (!plan) return 'none';
    const at = deps.clock.now();
    const next = accrueThrough(plan, day, at);
    if (!next) return 'none';
    await tx.put(C.plans, next as RepaymentPlanDoc & StoredDoc);
    await followPlanStatus(tx, plan, next, { id: 'system:repayment-daily', type: 'system' }, at);
    return plan.status !== 'overdue' && next.status === 'overdue' ? 'overdue' : 'changed';
  });
}

/**
 * The daily overdue tick (China time): every plan overdue or with an unpaid instalment due
 * before today is brought up to today — missed instalments marked overdue, penalty interest
 * accrued per day after the grace days. Plans with nothing due are not even read. Idempotent:
 * a replayed tick for the same day finds nothing to change.
 */
export async function runOverdueTick(deps: RepaymentDeps): Promise<OverdueTickReport> {
  const day = chinaDay(deps.clock.now());
  const todayKey = Number(day.replace(/-/g, ''));
  const filters: DocFilter[] = [{ status: 'overdue' }, { status: 'repaying', nextDueKey: { $lt: todayKey } }];
  const moved: string[] = [];
  const accrued: string[] = [];
  let examined = 0;
  for (const filter of filters) {
    for (let skip = 0; ; skip += PAGE) {
      const page = await deps.docs.find<RepaymentPlanDoc>(C.plans, filter, {
        orderBy: { field: '_id', direction: 'asc' },
        skip,
        limit: PAGE,
      });
      examined += page.length;
      // Decided on the page first: a plan with nothing new today costs no transaction at all.
      for (const plan of page) {
        const next = accrueThrough(plan, day, deps.clock.now());
        if (next) (next.status !== plan.status ? moved : accrued).push(plan._id);
      }
      if (page.length < PAGE) break;
    }
  }
  const report: OverdueTickReport = { day, examined, changed: 0, becameOverdue: 0 };
  const count = (outcome: 'none' | 'changed' | 'overdue'): void => {
    if (outcome !== 'none') report.changed += 1;
    if (outcome === 'overdue') report.becameOverdue += 1;
  };
  // Penalty-only changes touch one plan each and run in parallel; status moves all append to the one
  // audit chain, so they run one after another instead of colliding on its head.
  for (let start = 0; start < accrued.length; start += CONCURRENCY) {
    const outcomes = await Promise.all(
      accrued.slice(start, start + CONCURRENCY).map((id) => accruePlan(deps, id, day)),
    );
    outcomes.forEach(count);
  }
  for (const id of moved) count(await accruePlan(deps, id, day));
  return report;
}
