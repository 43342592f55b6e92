import { callFunctionAsClient } from '../../emulator/src/functions';
import type { ApiResult } from '../../typings/api';
import type { PayoutProgress } from '../../typings/payout';
import { refreshPayout } from '../../server/payout/settle';
import { payoutProgress } from '../../server/payout/progress';
import {
  applicationOf,
  assertPayoutInvariants,
  confirmReceipt,
  driveToSuccess,
  fault,
  payoutOf,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

describe('duplicate submissions end with one bill number and at most one SUCCESS', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test.each([2, 10, 50])('%i concurrent disburse triggers for one loan', async (n) => {
    const loan = await seedApprovedLoan(h, 25_000);
    const results = await Promise.all(
      Array.from({ length: n }, () =>
        h.functions.invoke({
          name: 'payout',
          event: { action: 'start', loanId: loan.loanId },
          source: 'scf',
        }),
      ),
    );
    for (const r of results) expect(r.error).toBeUndefined();
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.billNos).toHaveLength(1);
    expect(sandboxBillsOf(h, doc)).toHaveLength(1);
    await driveToSuccess(h, loan.loanId);
    const final = await assertPayoutInvariants(h, loan.loanId);
    expect(final.status).toBe('succeeded');
    expect((await applicationOf(h, loan.loanId)).status).toBe('repaying');
  });

  test('a double tap on "confirm receipt" moves money once', async () => {
    const loan = await seedApprovedLoan(h, 26_000);
    await h.functions.invoke({
      name: 'payout',
      event: { action: 'start', loanId: loan.loanId },
      source: 'scf',
    });
    await h.steps(3);
    const doc = await refreshPayout(h.deps, loan.loanId);
    if (!doc) throw new Error('no payout');
    const confirmation = payoutProgress(
      doc,
      loan.openid,
      h.deps.profile,
      h.deps.settings,
      h.now(),
    ).confirmation;
    if (!confirmation) throw new Error('no confirmation');
    const answers = await Promise.all([confirmReceipt(h, confirmation), confirmReceipt(h, confirmation)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    await h.steps(3);
    expect((await assertPayoutInvariants(h, loan.loanId)).status).toBe('succeeded');
  });

  test('10 concurrent "try again" taps after a confirmed failure open exactly one new bill', async () => {
    const loan = await seedApprovedLoan(h, 27_000);
    fault(h, { target: 'settle_fail', failReason: 'PAYEE_ACCOUNT_ABNORMAL' });
    await h.functions.invoke({
      name: 'payout',
      event: { action: 'start', loanId: loan.loanId },
      source: 'scf',
    });
    await driveToSuccess(h, loan.loanId);
    const failed = await payoutOf(h, loan.loanId);
    expect(failed.status).toBe('failed');
    expect((await applicationOf(h, loan.loanId)).status).toBe('disbursement_failed');
    const call = () =>
      callFunctionAsClient(h.emu.baseUrl, {
        name: 'payout',
        data: { action: 'retry', loanId: loan.loanId },
        openid: loan.openid,
      });
    const answers = await Promise.all(Array.from({ length: 10 }, call));
    const ok = answers.filter((a) => a.ok && (a.result as ApiResult<PayoutProgress>).ok);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.billNos).toHaveLength(2);
    expect(doc.bills[0]?.phase).toBe('FAIL');
    await driveToSuccess(h, loan.loanId);
    const final = await assertPayoutInvariants(h, loan.loanId);
    expect(final.status).toBe('succeeded');
    expect(final.billNos).toHaveLength(2);
  });

  test("another borrower cannot see, retry or confirm someone else's payout", async () => {
    const loan = await seedApprovedLoan(h, 28_000);
    await h.functions.invoke({
      name: 'payout',
      event: { action: 'start', loanId: loan.loanId },
      source: 'scf',
    });
    await h.steps(3);
    const before = await refreshPayout(h.deps, loan.loanId);
    for (const action of ['progress', 'retry']) {
      const answer = await callFunctionAsClient(h.emu.baseUrl, {
        name: 'payout',
        data: { action, loanId: loan.loanId },
        openid: 'o-intruder',
      });
      expect(answer.ok && answer.result).toMatchObject({ ok: false, error: { code: 'PAYOUT_NOT_FOUND' } });
    }
    const start = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'start', loanId: loan.loanId },
      openid: loan.openid,
    });
    expect(start.ok && start.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const spoof = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'progress', loanId: loan.loanId, OPENID: loan.openid, openid: loan.openid },
      openid: 'o-intruder',
    });
    expect(spoof.ok && spoof.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.version).toBe(before?.version);
    const confirmation = payoutProgress(
      doc,
      loan.openid,
      h.deps.profile,
      h.deps.settings,
      h.now(),
    ).confirmation;
    if (!confirmation) throw new Error('no confirmation');
    expect((await confirmReceipt(h, { ...confirmation, openId: 'o-intruder' })).status).toBe(403);
    expect(
      payoutProgress(doc, 'o-intruder', h.deps.profile, h.deps.settings, h.now()).confirmation,
    ).toBeUndefined();
  });
});
