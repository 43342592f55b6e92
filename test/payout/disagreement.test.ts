import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import type { StoredDoc } from '../../server/storage/doc-store';
import { PAYOUT_COLLECTIONS } from '../../server/payout/collections';
import { startPayout } from '../../server/payout/engine';
import { retryPayout } from '../../server/payout/manage';
import { payoutOps } from '../../server/payout/ops-actions';
import { payoutProgress } from '../../server/payout/progress';
import { querySettled, refreshPayout } from '../../server/payout/settle';
import type { BillState } from '../../emulator/src/wechatpay/bill-model';
import {
  confirmReceipt,
  driveToSuccess,
  fault,
  payoutOf,
  reconcileNow,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  vouchersOf,
  type PayoutHarness,
} from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;

/** Rewrites a sandbox bill's state behind everyone's back: a WeChat that lost (or changed) what it said. */
function setSandboxState(h: PayoutHarness, outBillNo: string, state: BillState): void {
  const db = h.emu.hub.sqlite;
  const row = db.prepare('SELECT doc FROM wechatpay_bills WHERE out_bill_no = ?').get(outBillNo) as {
    doc: string;
  };
  const bill = { ...(JSON.parse(row.doc) as Record<string, unknown>), state };
  db.prepare('UPDATE wechatpay_bills SET doc = ? WHERE out_bill_no = ?').run(JSON.stringify(bill), outBillNo);
}

/** Audit records of a payout's disagreements. */
async function disagreementAudits(h: PayoutHarness, loanId: string) {
  const records = await h.docs.find<
    StoredDoc & { entry: { event: string; details: Record<string, unknown> } }
  >(AUDIT_COLLECTION, { 'entry.subject': `payout:${loanId}` } as never, { limit: 1000 });
  return records.filter((r) => r.entry.event === 'payout.disagreement').map((r) => r.entry.details);
}

describe('reconcile reports every bill where our record and WeChat disagree, and moves no money', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('agreement: the final bill is asked about once, the flag cleared without a new version, nothing reported', async () => {
    const loan = await seedApprovedLoan(h, 21_000);
    await startPayout(h.deps, loan, SYSTEM);
    const paid = await driveToSuccess(h, loan.loanId);
    expect(paid).toMatchObject({ status: 'succeeded', finalCheck: true });
    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId)).toEqual([]);
    const checked = await payoutOf(h, loan.loanId);
    expect(checked).toMatchObject({ finalCheck: false, version: paid.version });
    expect(checked.disputed).toBeUndefined();
    await reconcileNow(h);
    expect((await payoutOf(h, loan.loanId)).finalCheckedAt).toBe(checked.finalCheckedAt);
  });

  test('ours SUCCESS, WeChat not SUCCESS: reported with a stable code, listed for operators, audited; the ledger is untouched', async () => {
    const loan = await seedApprovedLoan(h, 22_000);
    await startPayout(h.deps, loan, SYSTEM);
    const paid = await driveToSuccess(h, loan.loanId);
    const outBillNo = paid.billNos[0] as string;
    setSandboxState(h, outBillNo, 'TRANSFERING');
    const vouchers = await vouchersOf(h, loan.loanId);

    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId)).toEqual([
      {
        loanId: loan.loanId,
        outBillNo,
        code: 'PAYOUT_STATE_DISAGREEMENT',
        detail: 'ours SUCCESS, WeChat TRANSFERING',
      },
    ]);
    const listed = await payoutOps.payoutDisagreements(h.runtime, 'o-operator-1');
    expect(listed.disagreements).toContainEqual(
      expect.objectContaining({
        _id: outBillNo,
        loanId: loan.loanId,
        ours: 'SUCCESS',
        theirs: 'TRANSFERING',
        status: 'open',
      }),
    );
    expect(await disagreementAudits(h, loan.loanId)).toEqual([
      { loanId: loan.loanId, outBillNo, ours: 'SUCCESS', theirs: 'TRANSFERING' },
    ]);
    const after = await payoutOf(h, loan.loanId);
    expect(after).toMatchObject({ status: 'succeeded', disputed: true, version: paid.version });
    expect(await vouchersOf(h, loan.loanId)).toEqual(vouchers);
    // Reported once: a second pass neither asks again nor writes.
    const again = await reconcileNow(h);
    expect(again.findings.filter((f) => f.loanId === loan.loanId)).toEqual([]);
    expect(await disagreementAudits(h, loan.loanId)).toHaveLength(1);
  });

  test('ours FAIL, WeChat SUCCESS: reported, and no new bill is ever opened for the loan automatically', async () => {
    fault(h, { target: 'settle_fail', failReason: 'ACCOUNT_FROZEN' });
    const loan = await seedApprovedLoan(h, 23_000);
    await startPayout(h.deps, loan, SYSTEM);
    const failed = await driveToSuccess(h, loan.loanId);
    expect(failed).toMatchObject({ status: 'failed', bills: [{ phase: 'FAIL' }] });
    const outBillNo = failed.billNos[0] as string;
    setSandboxState(h, outBillNo, 'SUCCESS');

    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId).map((f) => [f.code, f.detail])).toEqual([
      ['PAYOUT_STATE_DISAGREEMENT', 'ours FAIL, WeChat SUCCESS'],
    ]);
    await expect(
      retryPayout(h.deps, loan.loanId, { id: loan.openid, type: 'borrower' }, false),
    ).rejects.toMatchObject({
      code: 'PAYOUT_DISPUTED',
    });
    const after = await payoutOf(h, loan.loanId);
    expect(payoutProgress(after, loan.openid, h.deps.profile, h.deps.settings, h.now())).toMatchObject({
      stage: 'manual_review',
      canRetry: false,
    });
    expect(after.billNos).toEqual([outBillNo]);
    expect(sandboxBillsOf(h, after)).toHaveLength(1);
    expect(await vouchersOf(h, loan.loanId)).toEqual([]);
  });

  test('an open bill WeChat answers with a final state it can never reach is reported and left alone', async () => {
    const loan = await seedApprovedLoan(h, 24_000);
    await startPayout(h.deps, loan, SYSTEM);
    let doc = await payoutOf(h, loan.loanId);
    for (
      let i = 0;
      i < 4 && !payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now()).confirmation;
      i++
    ) {
      await h.steps(1);
      doc = (await refreshPayout(h.deps, loan.loanId)) ?? doc;
    }
    const confirmation = payoutProgress(
      doc,
      loan.openid,
      h.deps.profile,
      h.deps.settings,
      h.now(),
    ).confirmation;
    if (!confirmation) throw new Error('no confirmation offered');
    expect((await confirmReceipt(h, confirmation)).status).toBe(200);
    doc = (await querySettled(h.deps, doc, doc.billNos[0] as string)).doc;
    expect(doc.bills[0]?.phase).toBe('TRANSFERING');
    const outBillNo = doc.billNos[0] as string;
    setSandboxState(h, outBillNo, 'CANCELLED');

    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId).map((f) => [f.code, f.detail])).toEqual([
      ['PAYOUT_STATE_DISAGREEMENT', 'ours TRANSFERING, WeChat CANCELLED'],
    ]);
    const after = await payoutOf(h, loan.loanId);
    expect(after).toMatchObject({ status: 'in_progress', open: true, disputed: true, version: doc.version });
    expect(after.bills[0]?.cancelRequested).toBe(false);
    // Later passes leave it to operators and say so.
    const again = await reconcileNow(h);
    expect(again.findings.filter((f) => f.loanId === loan.loanId).map((f) => f.code)).toEqual([
      'PAYOUT_DISPUTED',
    ]);
    expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
    expect(
      (await h.docs.find(PAYOUT_COLLECTIONS.payoutDisagreements, { loanId: loan.loanId }, { limit: 10 }))
        .length,
    ).toBe(1);
  });
});
