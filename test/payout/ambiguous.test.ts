import { startPayout, sendCreate } from '../../server/payout/engine';
import {
  assertPayoutInvariants,
  driveToSuccess,
  fault,
  payoutOf,
  reconcileNow,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;

describe('ambiguous answers are retried with the same number and the same parameters, or settled by a query', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness({ WECHATPAY_TIMEOUT_MS: '400' });
  });
  afterAll(async () => {
    await h.stop();
  });

  const kinds = [
    'system_error',
    'frequency_limited',
    'not_enough',
    'unknown_code',
    'timeout_applied',
    'timeout_not_applied',
  ] as const;

  test.each(kinds)('create answers %s', async (kind) => {
    const loan = await seedApprovedLoan(h, 12_300);
    fault(h, { target: 'api', endpoint: 'create', kind, hangMs: 800 });
    const first = await startPayout(h.deps, loan, SYSTEM);
    const bill = first.bills[0];
    expect(bill?.phase).toBe('INTENT');
    expect(bill?.lastError).toBeTruthy();
    expect(first.status).toBe('in_progress');
    await new Promise((resolve) => setTimeout(resolve, 900));

    // A query first (reconciler), then the same request again if WeChat never saw it.
    await h.advance(h.deps.settings.resendIntentAfterMs + 1_000);
    await reconcileNow(h);
    const doc = await driveToSuccess(h, loan.loanId);
    expect(doc.status).toBe('succeeded');
    const final = await assertPayoutInvariants(h, loan.loanId);
    expect(final.billNos).toEqual([bill?.outBillNo]);
    expect(final.bills[0]?.request).toEqual(bill?.request);
    const wechat = sandboxBillsOf(h, final);
    expect(wechat).toHaveLength(1);
    const creates = wechat[0]?.history.filter((e) => e.kind === 'api' && e.detail.call === 'create') ?? [];
    for (const call of creates) expect(call.detail.refused).toBeUndefined();
  });

  test('a create answered with a non-final state is followed by queries, never by a new number', async () => {
    const loan = await seedApprovedLoan(h, 15_000);
    const doc = await startPayout(h.deps, loan, SYSTEM);
    expect(doc.bills[0]?.phase).toBe('ACCEPTED');
    await h.steps(1);
    await reconcileNow(h);
    expect((await payoutOf(h, loan.loanId)).bills[0]?.phase).toBe('PROCESSING');
    await driveToSuccess(h, loan.loanId);
    expect((await assertPayoutInvariants(h, loan.loanId)).billNos).toHaveLength(1);
  });

  test('a bill not yet visible to queries right after create is not treated as failed', async () => {
    const loan = await seedApprovedLoan(h, 16_000);
    fault(h, { target: 'invisible', forMs: 10 * 60_000 });
    fault(h, { target: 'api', endpoint: 'create', kind: 'timeout_applied', hangMs: 800 });
    await startPayout(h.deps, loan, SYSTEM);
    await new Promise((resolve) => setTimeout(resolve, 900));
    await h.advance(h.deps.settings.resendIntentAfterMs + 1_000);
    const report = await reconcileNow(h);
    expect(report.findings.map((f) => f.code)).toContain('RESENT_INTENT');
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.billNos).toHaveLength(1);
    expect(doc.status).toBe('in_progress');
    expect(doc.bills[0]?.phase).not.toBe('FAIL');
    await h.advance(10 * 60_000);
    await driveToSuccess(h, loan.loanId);
    expect((await assertPayoutInvariants(h, loan.loanId)).billNos).toHaveLength(1);
  });

  test('a failing query changes nothing and is reported', async () => {
    const loan = await seedApprovedLoan(h, 17_000);
    const before = await startPayout(h.deps, loan, SYSTEM);
    fault(h, { target: 'api', endpoint: 'query', kind: 'system_error', count: 50 });
    const report = await reconcileNow(h);
    expect(report.findings.some((f) => f.loanId === loan.loanId && f.code === 'QUERY_UNAVAILABLE')).toBe(
      true,
    );
    expect((await payoutOf(h, loan.loanId)).version).toBe(before.version);
    await fetch(`${h.emu.baseUrl}/_admin/wechatpay/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clear: true }),
    });
    await driveToSuccess(h, loan.loanId);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('a definite refusal stops for an operator with the reason shown, and the number is kept', async () => {
    const loan = await seedApprovedLoan(h, 18_000);
    // WeChat Pay withdrew the merchant's permission for its transfer scene: NO_AUTH is definite.
    await fetch(`${h.emu.baseUrl}/_admin/wechatpay/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'api', endpoint: 'create', kind: 'no_auth' }),
    });
    const doc = await startPayout(h.deps, loan, SYSTEM);
    expect(doc.status).toBe('manual');
    expect(doc.reason).toContain('NO_AUTH');
    expect(doc.bills[0]?.phase).toBe('INTENT');
    expect(sandboxBillsOf(h, doc)).toHaveLength(0);
    // Resending never happens automatically from manual.
    expect((await sendCreate(h.deps, loan.loanId)).version).toBe(doc.version);
  });
});
