import { callFunctionAsClient } from '../../emulator/src/functions';
import type { PayoutProgress } from '../../typings/payout';
import type { ApiResult } from '../../typings/api';
import {
  applicationOf,
  assertPayoutInvariants,
  confirmReceipt,
  outboxOf,
  payoutOf,
  seedApprovedLoan,
  startPayoutHarness,
  vouchersOf,
  type PayoutHarness,
} from './harness';

describe('payout happy path through the local backend', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('approve → bill → borrower confirms → notification → disbursed, ledger balanced, outbox told', async () => {
    const loan = await seedApprovedLoan(h, 45_000);
    const started = await h.functions.invoke({
      name: 'payout',
      event: { action: 'start', loanId: loan.loanId },
      source: 'scf',
    });
    expect(started.error).toBeUndefined();
    expect((started.result as ApiResult<unknown>).ok).toBe(true);
    expect((await applicationOf(h, loan.loanId)).status).toBe('disbursing');

    await h.steps(3);
    const asPayee = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'progress', loanId: loan.loanId },
      openid: loan.openid,
    });
    expect(asPayee.ok).toBe(true);
    const progress = (asPayee.ok ? asPayee.result : undefined) as ApiResult<PayoutProgress>;
    if (!progress.ok) throw new Error(progress.error.code);
    expect(progress.data.stage).toBe('awaiting_confirmation');
    const confirmation = progress.data.confirmation;
    if (!confirmation) throw new Error('no confirmation for the payee');
    expect(confirmation.openId).toBe(loan.openid);
    // Shown to the borrower at once; the loan's own step (and its 待确认收款 message) is booked by the
    // next poll, in one transaction.
    expect((await applicationOf(h, loan.loanId)).status).toBe('disbursing');
    const again = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'progress', loanId: loan.loanId },
      openid: loan.openid,
    });
    expect(again.ok && (again.result as ApiResult<PayoutProgress>).ok).toBe(true);
    expect((await applicationOf(h, loan.loanId)).status).toBe('awaiting_confirmation');

    const asOther = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'progress', loanId: loan.loanId },
      openid: 'o-someone-else',
    });
    expect(asOther.ok && (asOther.result as ApiResult<unknown>).ok).toBe(false);
    expect(JSON.stringify(asOther)).not.toContain(confirmation.package);

    expect((await confirmReceipt(h, confirmation)).status).toBe(200);
    await h.steps(3);

    // The notification recorded WeChat's SUCCESS on the payout and left its booking pending.
    const recorded = await assertPayoutInvariants(h, loan.loanId);
    expect(recorded).toMatchObject({ status: 'succeeded', bookingPending: true });
    expect((await applicationOf(h, loan.loanId)).status).toBe('awaiting_confirmation');
    expect(await vouchersOf(h, loan.loanId)).toHaveLength(0);
    // The progress page's next poll shows 到账 and books it: voucher, loan repaying, plan, notification.
    const polled = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'payout',
      data: { action: 'progress', loanId: loan.loanId },
      openid: loan.openid,
    });
    expect(polled.ok && (polled.result as ApiResult<PayoutProgress>)).toMatchObject({
      ok: true,
      data: { stage: 'disbursed' },
    });

    const doc = await assertPayoutInvariants(h, loan.loanId);
    expect(doc.bookingPending).toBeUndefined();
    expect(doc.status).toBe('succeeded');
    expect(doc.bills).toHaveLength(1);
    expect(doc.bills[0]?.history.map((e) => e.to)).toContain('SUCCESS');
    expect((await applicationOf(h, loan.loanId)).status).toBe('repaying');
    const vouchers = await vouchersOf(h, loan.loanId);
    expect(vouchers).toHaveLength(1);
    expect(vouchers[0]).toMatchObject({ kind: 'disbursement', amount: 45_000 });
    const outbox = (await outboxOf(h, loan.loanId)).map((m) => m.status);
    expect(outbox).toEqual(expect.arrayContaining(['awaiting_confirmation', 'disbursed']));
    const delivered = h.sandbox.listBills().find((l) => l.bill.outBillNo === doc.bills[0]?.outBillNo);
    expect(delivered?.notifications.length).toBeGreaterThan(0);
    expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
  });
});
