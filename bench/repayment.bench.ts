import type { AdminCall } from '../emulator/src/admin-router';
import type { StoredDoc } from '../server/storage/doc-store';
import { APPLICATIONS, BORROWERS } from '../server/loan/application-doc';
import { accrueThrough } from '../server/repayment/accrue';
import { contractPlan } from '../server/repayment/contract-schedule';
import { chinaDay } from '../server/repayment/due-dates';
import { reminderTemplate } from '../server/outbox/template';
import { runDailyTick } from '../server/repayment/daily-tick';
import { runOverdueTick } from '../server/repayment/overdue-tick';
import { REPAYMENT_COLLECTIONS, type RepaymentPlanDoc } from '../server/repayment/plan-doc';
import { chinaTime, landingApplication, TEST_REPAYMENT_CONFIG } from '../test/repayment/fixtures';
import { startRepaymentHarness, type RepaymentHarness } from '../test/repayment/harness';
import { addCallCost, noCost } from '../emulator/src/functions/invocation-cost';
import { formatTable, type BenchRow } from './lib/stats';

/** Active loans the daily tick runs over (lower it on a slow machine; the row says the count). */
const ACTIVE_LOANS = Number(process.env.WXLEND_BENCH_REPAYMENT_LOANS ?? 10_000);
/** Share of loans whose instalment fell due yesterday (they become overdue on the tick). */
const DUE_YESTERDAY = 0.1;
/** Share of loans already overdue (they accrue a day of penalty). */
const ALREADY_OVERDUE = 0.05;
/** Share of loans due on the tick's day (they become overdue on the next day's tick). */
const DUE_TODAY = 0.1;
/** Production-like round trip of every SDK call in the last row (5–30 ms in a region). */
const REGION_LATENCY_MS = 10;
const DAY_MS = 86_400_000;

/** Seeds `n` repaying loans with the mix above, as of the day before `tickAt`. */
async function seedActiveLoans(
  h: RepaymentHarness,
  n: number,
  tickAt: number,
  concurrency = 25,
): Promise<void> {
  const yesterday = chinaDay(tickAt - DAY_MS);
  for (let offset = 0; offset < n; offset += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - offset) }, (_, i) => offset + i);
    await Promise.all(
      batch.map((i) => {
        const share = i / n;
        // Disbursed a month and a day ago (due yesterday), a month and ten days ago (overdue), a month
        // ago (due today) or ten days ago.
        const disbursedAt =
          share < DUE_YESTERDAY
            ? tickAt - 32 * DAY_MS
            : share < DUE_YESTERDAY + ALREADY_OVERDUE
              ? tickAt - 41 * DAY_MS
              : share < DUE_YESTERDAY + ALREADY_OVERDUE + DUE_TODAY
                ? tickAt - 31 * DAY_MS
                : tickAt - 10 * DAY_MS;
        const loanId = `BR${i}`;
        const openid = `o-bench-${loanId}`;
        const app = landingApplication(loanId, openid, disbursedAt, { amount: 200_000, termMonths: 12 });
        const fresh = contractPlan(app, disbursedAt, TEST_REPAYMENT_CONFIG);
        const plan: RepaymentPlanDoc =
          share < DUE_YESTERDAY ? fresh : (accrueThrough(fresh, yesterday, disbursedAt) ?? fresh);
        return h.docs.transact(async (tx) => {
          await tx.put(BORROWERS, {
            _id: openid,
            frozen: false,
            activeApplicationId: null,
            version: 1,
            createdAt: disbursedAt,
            updatedAt: disbursedAt,
          });
          await tx.put(APPLICATIONS, { ...app, status: plan.status });
          await tx.put(REPAYMENT_COLLECTIONS.plans, plan as RepaymentPlanDoc & StoredDoc);
        });
      }),
    );
  }
}

/**
 * The daily overdue timer over `ACTIVE_LOANS` active loans: the real tick, the same tick replayed,
 * and the next day's tick with a production-like round trip on every SDK call (where running the
 * plans' transactions in parallel counts). Each row's backend cost (SDK calls, transactions,
 * conflicts) is printed as an invocation of the function would be metered.
 */
export async function runRepaymentBench(): Promise<BenchRow[]> {
  process.env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const h = await startRepaymentHarness();
  try {
    const tickAt = chinaTime('2026-06-15T00:05:00');
    // The clock is set before seeding, so the emulator's own timer has already ticked for this day.
    await h.setClock(tickAt);
    await seedActiveLoans(h, ACTIVE_LOANS, tickAt);
    let metering: ((call: AdminCall) => void) | undefined;
    h.emu.hub.admin.observe((call) => metering?.(call));
    const rows: BenchRow[] = [];
    const runs = [
      { label: 'daily overdue tick', latencyMs: 0 },
      { label: 'same tick replayed (nothing changes)', latencyMs: 0 },
      // A minute before the next day's timer fires, so the emulator's own tick does not run first.
      {
        label: `next day's tick at ${REGION_LATENCY_MS} ms per SDK call`,
        at: tickAt + DAY_MS - 60_000,
        latencyMs: REGION_LATENCY_MS,
      },
      // The whole timer: accrual, then the day's reminders (overdue day 3 of the loans due the day before the first tick).
      {
        label: 'daily timer with reminders, two days on',
        at: tickAt + 2 * DAY_MS - 60_000,
        latencyMs: 0,
        reminders: true,
      },
    ];
    for (const run of runs) {
      if (run.at !== undefined) await h.setClock(run.at);
      h.emu.hub.config.sdkLatencyMs = run.latencyMs;
      // What the tick cost the backend: every SDK call (POST /admin) it made, as an invocation is metered.
      const cost = noCost();
      metering = (call) => addCallCost(cost, call);
      const started = performance.now();
      const report = run.reminders
        ? await runDailyTick(h.deps, reminderTemplate())
        : await runOverdueTick(h.deps);
      const ms = performance.now() - started;
      metering = undefined;
      h.emu.hub.config.sdkLatencyMs = 0;
      console.log(
        `[bench] repayment ${run.label}: ${JSON.stringify(report)} in ${ms.toFixed(0)} ms, cost ${JSON.stringify(cost)}`,
      );
      rows.push({
        suite: 'repayment',
        name: `${run.label}, ${ACTIVE_LOANS.toLocaleString('en-US')} active loans (${report.examined} due/overdue, ${report.changed} changed)`,
        samples: 1,
        medianMs: ms,
        p99Ms: ms,
        perSecond: (ACTIVE_LOANS * 1000) / ms,
      });
    }
    return rows;
  } finally {
    await h.stop();
  }
}

if (require.main === module) {
  runRepaymentBench()
    .then((rows) => console.log(formatTable(rows)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
