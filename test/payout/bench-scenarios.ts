import { performance } from 'node:perf_hooks';
import { bulkInsertDocuments } from '../../emulator/src/database';
import { startPayout } from '../../server/payout/engine';
import { refreshPayout } from '../../server/payout/settle';
import { PAYOUT_COLLECTIONS } from '../../server/payout/collections';
import { firstIntent } from '../../server/payout/intent';
import { applyObservation } from '../../server/payout/observe';
import { payoutProgress } from '../../server/payout/progress';
import { reconcilePayouts, type ReconcileReport } from '../../server/payout/reconcile';
import { APPLICATIONS, BORROWERS } from '../../server/loan/application-doc';
import type { MerchantTransferConfirmation } from '../../typings/payout';
import type { Fen } from '../../typings/money';
import { confirmReceipt, payoutOf, seedApprovedLoan, type PayoutHarness } from './harness';

/** What the benchmarks import: the three payout figures, measured through the local backend. */

const SYSTEM = { id: 'system:bench', type: 'system' } as const;

/** Approval → bill awaiting the borrower's confirmation (start, WeChat steps, refresh). */
export async function approvalToAwaitingConfirmation(
  h: PayoutHarness,
  amount = 30_000,
): Promise<{ ms: number; loanId: string; confirmation: MerchantTransferConfirmation }> {
  const loan = await seedApprovedLoan(h, amount);
  const started = performance.now();
  await startPayout(h.deps, loan, SYSTEM);
  for (let round = 0; round < 10; round++) {
    await h.steps(1);
    const doc = await refreshPayout(h.deps, loan.loanId);
    const confirmation =
      doc && payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now()).confirmation;
    if (confirmation) return { ms: performance.now() - started, loanId: loan.loanId, confirmation };
  }
  throw new Error('bill never reached WAIT_USER_CONFIRM');
}

/** Confirmation → disbursed (user endpoint, WeChat settles, notification through payNotify applied). */
export async function confirmationToDisbursed(
  h: PayoutHarness,
  loanId: string,
  confirmation: MerchantTransferConfirmation,
): Promise<number> {
  const started = performance.now();
  const answer = await confirmReceipt(h, confirmation);
  if (answer.status !== 200) throw new Error(`confirm refused: ${answer.body.code ?? answer.status}`);
  for (let round = 0; round < 10; round++) {
    await h.steps(1);
    if ((await payoutOf(h, loanId)).status === 'succeeded') return performance.now() - started;
  }
  throw new Error('payout never succeeded');
}

/**
 * Seeds `n` open payouts whose bills exist at the sandbox (created concurrently, stored in bulk with
 * their applications in `disbursing`), as a day with many unconfirmed payouts would leave them.
 */
export async function seedOpenPayouts(h: PayoutHarness, n: number, concurrency = 25): Promise<string[]> {
  const now = h.now();
  const ids: string[] = [];
  for (let offset = 0; offset < n; offset += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, n - offset) }, (_, i) => offset + i);
    const docs = await Promise.all(
      batch.map(async (i) => {
        const loanId = `B${now.toString(36)}x${i}`;
        const openid = `o-bench-${loanId}`;
        const commit = firstIntent(h.deps, { loanId, borrowerOpenid: openid, amount: 20_000 as Fen }, SYSTEM);
        const bill = commit.next.bills[0];
        if (!bill) throw new Error('no bill');
        const outcome = await h.deps.transfer.create(bill.request);
        if (outcome.kind !== 'accepted') throw new Error(`create ${outcome.kind}`);
        const observed = applyObservation(
          commit.next,
          {
            outBillNo: bill.outBillNo,
            state: outcome.state,
            source: 'create',
            ...(outcome.packageInfo ? { packageInfo: outcome.packageInfo } : {}),
          },
          now,
          h.deps.settings,
        );
        return { payout: observed?.next ?? commit.next, openid, loanId };
      }),
    );
    bulkInsertDocuments(
      h.emu.hub,
      PAYOUT_COLLECTIONS.payouts,
      docs.map((d) => ({ ...d.payout })),
    );
    bulkInsertDocuments(
      h.emu.hub,
      BORROWERS,
      docs.map((d) => ({
        _id: d.openid,
        frozen: false,
        activeApplicationId: d.loanId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      })),
    );
    bulkInsertDocuments(
      h.emu.hub,
      APPLICATIONS,
      docs.map((d) => ({
        _id: d.loanId,
        openid: d.openid,
        status: 'disbursing',
        version: 4,
        amount: 20_000,
        timeline: [],
        createdAt: now,
        updatedAt: now,
      })),
    );
    ids.push(...docs.map((d) => d.loanId));
  }
  return ids;
}

/** One reconciliation run over everything open, timed. */
export async function timedReconcile(h: PayoutHarness): Promise<{ ms: number; report: ReconcileReport }> {
  const started = performance.now();
  const report = await reconcilePayouts(h.deps);
  return { ms: performance.now() - started, report };
}
