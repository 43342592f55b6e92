import { prefetchAuditHead } from '../audit/audit-log';
import { APPLICATIONS } from '../loan/application-doc';
import { inBatches } from '../runtime/in-batches';
import { pagesByCursor } from '../storage/cursor-pages';
import type { StoredDoc } from '../storage/doc-store';
import { accrueThrough } from './accrue';
import { followPlanStatus } from './apply-payment';
import type { RepaymentDeps } from './deps';
import { chinaDay } from './due-dates';
import { dayKey, REPAYMENT_COLLECTIONS as C, type RepaymentPlanDoc } from './plan-doc';

/** Plans read per page (the most one query may answer). */
const PAGE = 1_000;
/** Plans written at once (each in its own transaction: different plans, loans and audit chains). */
const CONCURRENCY = 8;
/** Who the tick's changes are made by. */
const ACTOR = { id: 'system:repayment-daily', type: 'system' } as const;

/** What one daily accrual did. */
export interface OverdueTickReport {
  day: string;
  examined: number;
  changed: number;
  becameOverdue: number;
}

/** The accrual's report and every plan past a due date as it stands after today's accrual. */
export interface OverdueTickResult {
  report: OverdueTickReport;
  /** Plans with an unpaid instalment due before today, as written (or found) by this tick. */
  pastDue: RepaymentPlanDoc[];
}

/**
 * Brings one plan up to `day` in its own transaction; a status move also reads the loan and its
 * audit head, in parallel with the plan. Answers the plan as it now stands and whether it moved
 * to overdue.
 */
async function accruePlan(
  deps: RepaymentDeps,
  seen: RepaymentPlanDoc,
  day: string,
  moves: boolean,
): Promise<{ plan: RepaymentPlanDoc; changed: boolean; becameOverdue: boolean }> {
  return deps.docs.transact(async (tx) => {
    const [plan] = await Promise.all([
      tx.get<RepaymentPlanDoc>(C.plans, seen._id),
      ...(moves
        ? [tx.get(APPLICATIONS, seen._id), prefetchAuditHead(tx, `application:${seen._id}`, ACTOR.id)]
        : []),
    ]);
    if (!plan) return { plan: seen, changed: false, becameOverdue: false };
    const at = deps.clock.now();
    const next = accrueThrough(plan, day, at);
    if (!next) return { plan, changed: false, becameOverdue: false };
    await tx.put(C.plans, next as RepaymentPlanDoc & StoredDoc);
    await followPlanStatus(tx, plan, next, ACTOR, at);
    return {
      plan: next,
      changed: true,
      becameOverdue: plan.status !== 'overdue' && next.status === 'overdue',
    };
  });
}

/**
 * A penalty-only change (no status move): one conditional write of the plan as read, applied only
 * when nobody changed it since (same version); otherwise the transaction decides on what is stored.
 */
async function accrueInPlace(
  deps: RepaymentDeps,
  seen: RepaymentPlanDoc,
  next: RepaymentPlanDoc,
  day: string,
): Promise<{ plan: RepaymentPlanDoc; changed: boolean; becameOverdue: boolean }> {
  const { _id: id, ...fields } = next;
  const written = await deps.docs.updateWhere(C.plans, { _id: id, version: seen.version }, fields);
  return written === 1
    ? { plan: next, changed: true, becameOverdue: false }
    : accruePlan(deps, seen, day, false);
}

/**
 * The daily overdue accrual (China time): every repaying or overdue plan with an unpaid instalment
 * due before today is brought up to today — missed instalments marked overdue, penalty interest
 * accrued per day after the grace days. One indexed query (status, nextDueKey) paged by `_id`
 * cursor; plans with nothing due are not even read, a plan with nothing new today costs no
 * transaction. Idempotent: a replayed tick for the same day finds nothing to change.
 */
export async function accrueOverdue(deps: RepaymentDeps, day: string): Promise<OverdueTickResult> {
  const filter = { status: { $in: ['repaying', 'overdue'] }, nextDueKey: { $lt: dayKey(day) } };
  const report: OverdueTickReport = { day, examined: 0, changed: 0, becameOverdue: 0 };
  const unchanged: RepaymentPlanDoc[] = [];
  const due: Array<{ plan: RepaymentPlanDoc; next: RepaymentPlanDoc }> = [];
  for await (const page of pagesByCursor<RepaymentPlanDoc>(deps.docs, C.plans, filter, PAGE)) {
    report.examined += page.length;
    // Decided on the page first: a plan with nothing new today costs no transaction at all.
    for (const plan of page) {
      const next = accrueThrough(plan, day, deps.clock.now());
      if (next) due.push({ plan, next });
      else unchanged.push(plan);
    }
  }
  const outcomes = await inBatches(due, CONCURRENCY, ({ plan, next }) =>
    next.status === plan.status ? accrueInPlace(deps, plan, next, day) : accruePlan(deps, plan, day, true),
  );
  for (const outcome of outcomes) {
    if (outcome.changed) report.changed += 1;
    if (outcome.becameOverdue) report.becameOverdue += 1;
  }
  return { report, pastDue: [...unchanged, ...outcomes.map((o) => o.plan)] };
}

/** The daily accrual for today by the product clock. */
export async function runOverdueTick(deps: RepaymentDeps): Promise<OverdueTickReport> {
  return (await accrueOverdue(deps, chinaDay(deps.clock.now()))).report;
}
