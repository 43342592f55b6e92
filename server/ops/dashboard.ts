import type { LoanStatus } from '../../typings/loan';
import type { Dashboard, DashboardDay } from '../../typings/ops';
import { chinaDayKey, chinaDayStart } from '../../shared/china-date';
import { APPLICATIONS, type ApplicationDoc } from '../loan/application-doc';
import type { LoanDeps } from '../loan/deps';
import { merchantDayUsed } from '../payout/merchant-shards';
import { QUEUE_STATUSES } from './review-queue';

/** Days the dashboard's charts cover (China days, today included). */
export const DASHBOARD_DAYS = 7;
/** Most applications one dashboard read takes in (answered `truncated` beyond). */
const MAX_READ = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The `q` quantile (nearest rank) of ascending `sorted`, null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}

/** Whether an application was approved or rejected by the time of reading (any path: model, person, appeal). */
function outcomeOf(app: ApplicationDoc): 'approved' | 'rejected' | undefined {
  const seen = new Set<LoanStatus>(app.timeline.map((t) => t.status));
  if (seen.has('approved')) return 'approved';
  if (app.status === 'rejected' || app.status === 'appeal_denied') return 'rejected';
  return undefined;
}

/**
 * The dashboard's figures in three parallel reads: the last DASHBOARD_DAYS China days' applications,
 * the queue's waiting items (their ages), and today's merchant shards.
 */
export async function dashboard(deps: LoanDeps): Promise<Dashboard> {
  const now = deps.clock.now();
  const dayKeys = Array.from({ length: DASHBOARD_DAYS }, (_, i) =>
    chinaDayKey(now - (DASHBOARD_DAYS - 1 - i) * DAY_MS),
  );
  const since = chinaDayStart(now - (DASHBOARD_DAYS - 1) * DAY_MS);
  const [recent, waiting, used] = await Promise.all([
    deps.store.find<ApplicationDoc>(
      APPLICATIONS,
      { createdAt: { $gte: since } },
      { orderBy: { field: 'createdAt', direction: 'asc' }, limit: MAX_READ },
    ),
    deps.store.find<ApplicationDoc>(
      APPLICATIONS,
      { status: { $in: [...QUEUE_STATUSES] } },
      { orderBy: { field: 'createdAt', direction: 'asc' }, limit: MAX_READ },
    ),
    merchantDayUsed(deps.store, chinaDayKey(now)),
  ]);
  const days = dayKeys.map((day): DashboardDay => ({
    day,
    applications: 0,
    approved: 0,
    rejected: 0,
    approvalRate: null,
  }));
  const byKey = new Map(days.map((d) => [d.day, d]));
  for (const app of recent) {
    const day = byKey.get(chinaDayKey(app.createdAt));
    if (!day) continue;
    day.applications += 1;
    const outcome = outcomeOf(app);
    if (outcome) day[outcome] += 1;
  }
  for (const day of days) {
    const decided = day.approved + day.rejected;
    day.approvalRate = decided === 0 ? null : day.approved / decided;
  }
  const ages = waiting.map((a) => Math.max(0, now - a.createdAt)).sort((a, b) => a - b);
  return {
    at: now,
    days,
    queue: { waiting: waiting.length, p50AgeMs: quantile(ages, 0.5), p90AgeMs: quantile(ages, 0.9) },
    today: {
      day: chinaDayKey(now),
      reservedFen: used.amount,
      capFen: deps.limits.perMerchantDailyCapFen,
      bills: used.calls,
      billCap: deps.limits.dailyCallCount,
    },
    truncated: recent.length === MAX_READ || waiting.length === MAX_READ,
  };
}
