import { startPendingApprovals } from './after-approval';
import { storePayoutReport } from './payout-reports';
import { sweepLedger } from './ledger-sweep';
import { reconcilePayouts } from './reconcile';
import type { PayoutRuntime } from './wiring';

/**
 * One reconciliation tick: start approved applications still without a payout, settle open bills, sweep
 * the ledger (bounded work per tick, ledger-sweep.ts), and store the mismatch report for operators
 * (`payoutReports`, one document per tick). Overlapping or repeated ticks are harmless.
 */
export async function runReconcileTick(
  rt: PayoutRuntime,
): Promise<{ examined: number; settled: number; findings: number; started: number }> {
  const started = await startPendingApprovals(rt);
  const report = await reconcilePayouts(rt.deps);
  const { problems: ledger } = await sweepLedger({ docs: rt.docs, now: () => rt.deps.clock.now() });
  const at = rt.deps.clock.now();
  const findings = [
    ...report.findings,
    ...ledger.map((p) => ({ loanId: p.ref, outBillNo: '', code: p.code, detail: p.detail })),
  ];
  if (findings.length > 0) {
    await storePayoutReport(rt.docs, `r${at}`, at, {
      examined: report.examined,
      settled: report.settled,
      findings,
    });
  }
  return { examined: report.examined, settled: report.settled, findings: findings.length, started };
}
