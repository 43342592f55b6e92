import { startPayoutHarness, type PayoutHarness } from '../test/payout/harness';
import {
  approvalToAwaitingConfirmation,
  confirmationToDisbursed,
  seedOpenPayouts,
  timedReconcile,
} from '../test/payout/bench-scenarios';
import { countSdkCalls } from '../test/helpers/sdk-calls';
import { formatTable, percentile, type BenchRow } from './lib/stats';

/** Loans taken from approval to disbursement. */
const PAYOUT_SAMPLES = Number(process.env.WXLEND_BENCH_PAYOUT_SAMPLES ?? 30);
/** Open bills the reconciler walks (lower it on a slow machine; the printed row says the count). */
const RECONCILE_BILLS = Number(process.env.WXLEND_BENCH_RECONCILE_BILLS ?? 1000);
/** Reconciliation runs over the same open bills. */
const RECONCILE_RUNS = Number(process.env.WXLEND_BENCH_RECONCILE_RUNS ?? 3);
/** Unmeasured loans first (instance start, bundle load). */
const WARMUP = 2;

/** A latency row from raw millisecond samples. */
function latencyRow(suite: string, name: string, samples: number[]): BenchRow {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((s, v) => s + v, 0);
  return {
    suite,
    name,
    samples: sorted.length,
    medianMs: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    perSecond: (sorted.length * 1000) / total,
  };
}

/** Approval → awaiting confirmation and confirmation → disbursed, one fresh loan per sample. */
async function payoutRows(h: PayoutHarness): Promise<BenchRow[]> {
  const toAwaiting: number[] = [];
  const toDisbursed: number[] = [];
  for (let i = -WARMUP; i < PAYOUT_SAMPLES; i += 1) {
    const awaiting = await approvalToAwaitingConfirmation(h);
    const disbursed = await confirmationToDisbursed(h, awaiting.loanId, awaiting.confirmation);
    if (i < 0) continue;
    toAwaiting.push(awaiting.ms);
    toDisbursed.push(disbursed);
  }
  return [
    latencyRow('payout', 'approval → bill awaiting confirmation', toAwaiting),
    latencyRow('payout', 'confirmation → disbursed', toDisbursed),
  ];
}

/** One reconciliation pass over `RECONCILE_BILLS` open bills, repeated `RECONCILE_RUNS` times. */
async function reconcileRow(h: PayoutHarness): Promise<BenchRow> {
  const ids = await seedOpenPayouts(h, RECONCILE_BILLS);
  const runs: number[] = [];
  const counter = countSdkCalls(h.emu.hub);
  let calls = 0;
  let cpuMs = 0;
  try {
    for (let i = 0; i < RECONCILE_RUNS; i += 1) {
      counter.reset();
      // CPU of this process (our side and the in-process sandbox, both signing every call): the
      // figure that does not depend on how busy a shared machine is.
      const cpu = process.cpuUsage();
      runs.push((await timedReconcile(h)).ms);
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000;
      calls = counter.total();
    }
  } finally {
    counter.stop();
  }
  const perBill = (calls / ids.length).toFixed(3);
  return latencyRow(
    'reconciliation',
    `reconcile pass, ${ids.length.toLocaleString('en-US')} open bills (${calls} SDK calls, ${perBill}/bill; CPU ${Math.round(cpuMs)} ms)`,
    runs,
  );
}

/** The payout figures: the two loan paths on one backend, reconciliation on another (both fresh). */
export async function runPayoutBench(
  only: 'all' | 'reconcile' = process.env.WXLEND_BENCH_ONLY === 'reconcile' ? 'reconcile' : 'all',
): Promise<BenchRow[]> {
  process.env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const rows: BenchRow[] = [];
  const reconcile = async (h: PayoutHarness) => [await reconcileRow(h)];
  for (const measure of only === 'reconcile' ? [reconcile] : [payoutRows, reconcile]) {
    const h = await startPayoutHarness();
    try {
      rows.push(...(await measure(h)));
    } finally {
      await h.stop();
    }
  }
  return rows;
}

if (require.main === module) {
  runPayoutBench()
    .then((rows) => console.log(formatTable(rows)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
