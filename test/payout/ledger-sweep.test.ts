import { sealId, type AuditSeal } from '../../server/audit/seal';
import { sealLedger } from '../../server/ledger/append';
import type { LedgerProblem } from '../../server/ledger/check';
import { ledgerChainOf } from '../../server/ledger/voucher';
import { PAYOUT_COLLECTIONS as C } from '../../server/payout/collections';
import { startPayout } from '../../server/payout/engine';
import { sweepLedger, type SweepReport, type SweepSizes } from '../../server/payout/ledger-sweep';
import { checkLedger } from '../../server/payout/reconcile';
import { runReconcileTick } from '../../server/payout/reconcile-tick';
import type { StoredDoc } from '../../server/storage/doc-store';
import { driveToSuccess, seedApprovedLoan, startPayoutHarness, type PayoutHarness } from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;
/** Small pages, so five loans take three sweeps to cover. */
const SIZES: SweepSizes = { rolling: 2, changed: 500, seals: 2, openProblems: 100 };
const LOANS = 5;
/** Past the sweep's look-back for late commits (one minute): nothing counts as changed any more. */
const QUIET_MS = 2 * 60_000 + 1_000;

const key = (p: LedgerProblem): string => `${p.code} ${p.ref} ${p.detail}`;
const keys = (problems: readonly LedgerProblem[]): string[] => [...new Set(problems.map(key))].sort();

describe('the reconcile timer sweeps the ledger in bounded work per tick', () => {
  let h: PayoutHarness;
  const loans: string[] = [];

  async function paidLoan(amount: number): Promise<string> {
    const loan = await seedApprovedLoan(h, amount);
    await startPayout(h.deps, loan, SYSTEM);
    await driveToSuccess(h, loan.loanId);
    return loan.loanId;
  }

  /**
   * Enough sweeps to cover every loan once whatever the cursors' start: any ⌈n ÷ rolling⌉ + 1
   * consecutive sweeps read every one of n chains (and payouts).
   */
  async function oneLap(): Promise<SweepReport[]> {
    const reports: SweepReport[] = [];
    for (let i = 0; i < Math.ceil(loans.length / SIZES.rolling) + 1; i++)
      reports.push(await sweepLedger(h.deps, SIZES));
    return reports;
  }

  beforeAll(async () => {
    h = await startPayoutHarness();
    for (let i = 0; i < LOANS; i++) loans.push(await paidLoan(31_000 + i * 100));
  });
  afterAll(async () => {
    await h.stop();
  });

  test('an intact ledger: nothing found; once quiet, a sweep reads only the rolling pages', async () => {
    const first = await sweepLedger(h.deps, SIZES);
    expect(first.problems).toEqual([]);
    expect(first.loans).toBe(LOANS);
    await h.advance(QUIET_MS);
    // This one still looks back a minute before the first (changes that might have committed late).
    expect((await sweepLedger(h.deps, SIZES)).problems).toEqual([]);
    const quiet = await sweepLedger(h.deps, SIZES);
    expect(quiet.problems).toEqual([]);
    // The same two loans head both passes (chains and payouts sort alike): at most 2 × rolling.
    expect(quiet.loans).toBeGreaterThan(0);
    expect(quiet.loans).toBeLessThanOrEqual(2 * SIZES.rolling);
    expect(await checkLedger(h.deps)).toEqual([]);
  });

  test('console edits to an old voucher, head and payout are found within one lap, as the full check finds them, and stay reported until repaired', async () => {
    await h.advance(QUIET_MS);
    const [voucherLoan, headLoan, payoutLoan] = loans as [string, string, string];
    const [voucher] = await h.docs.find<StoredDoc & { amount: number }>(
      C.ledgerVouchers,
      { loanId: voucherLoan },
      { limit: 10 },
    );
    const head = await h.docs.get<StoredDoc & { hash: string }>(C.ledgerHeads, ledgerChainOf(headLoan));
    const payout = await h.docs.get<StoredDoc & { amount: number }>(C.payouts, payoutLoan);
    if (!voucher || !head || !payout) throw new Error('seeded loans are missing their books');
    // Written as someone with console access would: no `updatedAt` moves, nothing looks changed.
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: 1 });
    await h.docs.updateWhere(C.ledgerHeads, { _id: head._id }, { hash: 'f'.repeat(64) });
    await h.docs.updateWhere(C.payouts, { _id: payoutLoan }, { amount: payout.amount + 1 });

    const full = keys(await checkLedger(h.deps));
    expect(full.length).toBeGreaterThanOrEqual(3);
    const lap = await oneLap();
    expect(keys(lap.flatMap((r) => r.problems))).toEqual(full);
    for (const report of lap) expect(report.loans).toBeLessThanOrEqual(2 * SIZES.rolling + 3);
    // Found once, checked by every sweep after it until the books are right again.
    const again = await sweepLedger(h.deps, SIZES);
    expect(keys(again.problems)).toEqual(full);
    expect([...again.cursor.open].sort()).toEqual([voucherLoan, headLoan, payoutLoan].sort());

    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount });
    await h.docs.updateWhere(C.ledgerHeads, { _id: head._id }, { hash: head.hash });
    await h.docs.updateWhere(C.payouts, { _id: payoutLoan }, { amount: payout.amount });
    const repaired = await sweepLedger(h.deps, SIZES);
    expect(repaired.problems).toEqual([]);
    expect(repaired.cursor.open).toEqual([]);
    expect(await checkLedger(h.deps)).toEqual([]);
  });

  test('each sweep verifies the seals written since the last one it verified; a rewritten seal stops the cursor and stays reported', async () => {
    await sealLedger(h.docs, h.now());
    const sealed = await sweepLedger(h.deps, SIZES);
    expect(sealed.problems).toEqual([]);
    const firstSeq = sealed.cursor.seals.seq;
    expect(firstSeq).toBeGreaterThan(0);

    loans.push(await paidLoan(32_000));
    await sealLedger(h.docs, h.now());
    const seal = await h.docs.get<AuditSeal>(C.ledgerSeals, sealId(firstSeq + 1));
    if (!seal) throw new Error('the second seal is missing');
    const forged = seal.heads.map((s, i) => (i === 0 ? { ...s, hash: 'e'.repeat(64) } : s));
    await h.docs.updateWhere(C.ledgerSeals, { _id: seal._id }, { heads: forged });

    const broken = await sweepLedger(h.deps, SIZES);
    const expected = keys((await checkLedger(h.deps)).filter((p) => p.ref.startsWith('seal#')));
    expect(expected).toEqual([`CHAIN_BROKEN seal#${firstSeq + 1} hash_mismatch`]);
    expect(keys(broken.problems)).toEqual(expected);
    expect(broken.cursor.seals.seq).toBe(firstSeq);
    expect(keys((await sweepLedger(h.deps, SIZES)).problems)).toEqual(expected);

    await h.docs.updateWhere(C.ledgerSeals, { _id: seal._id }, { heads: seal.heads });
    const intact = await sweepLedger(h.deps, SIZES);
    expect(intact.problems).toEqual([]);
    expect(intact.cursor.seals).toEqual({ seq: seal.seq, hash: seal.hash });
  });

  test("the reconcile tick reports what its sweep finds in the operators' report, until it is repaired", async () => {
    await h.advance(QUIET_MS);
    const loanId = loans[1] as string;
    const [voucher] = await h.docs.find<StoredDoc & { amount: number }>(
      C.ledgerVouchers,
      { loanId },
      { limit: 10 },
    );
    if (!voucher) throw new Error('no voucher');
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount - 1 });
    const tick = await runReconcileTick(h.runtime);
    expect(tick.findings).toBeGreaterThan(0);
    const [report] = await h.docs.find<StoredDoc & { findings: Array<{ loanId: string; code: string }> }>(
      C.payoutReports,
      {},
      { orderBy: { field: 'at', direction: 'desc' }, limit: 1 },
    );
    expect(report?.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CHAIN_BROKEN', loanId: `${ledgerChainOf(loanId)}#1` }),
        expect.objectContaining({ code: 'AMOUNT_MISMATCH', loanId }),
      ]),
    );
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount });
    expect((await runReconcileTick(h.runtime)).findings).toBe(0);
  });
});
