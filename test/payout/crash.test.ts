import type { CrashPoint } from '../../server/payout/ports';
import {
  assertPayoutInvariants,
  driveToSuccess,
  payoutOf,
  reconcileNow,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

const POINTS: CrashPoint[] = [
  'payout.before_create',
  'payout.after_send',
  'payout.after_reply',
  'payout.after_write',
];

describe('a crash at each point around the payout is finished by the reconciler without a second payout', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(() => {
    delete h.functionEnv.WXLEND_CRASH_AT;
    delete h.functionEnv.WXLEND_CRASH_MODE;
  });

  test.each(POINTS.flatMap((point) => [[point, 'throw'] as const, [point, 'exit'] as const]))(
    'crash at %s (%s)',
    async (point, mode) => {
      const loan = await seedApprovedLoan(h, 20_000);
      h.functionEnv.WXLEND_CRASH_AT = point;
      h.functionEnv.WXLEND_CRASH_MODE = mode;
      const crashed = await h.functions.invoke({
        name: 'payout',
        event: { action: 'start', loanId: loan.loanId },
        source: 'scf',
      });
      if (mode === 'exit') expect(crashed.error?.message).toMatch(/exit|137|crash/i);
      else expect(crashed.result).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
      expect(JSON.stringify(crashed.logs)).not.toContain(loan.openid);
      delete h.functionEnv.WXLEND_CRASH_AT;

      // The intent is always stored before WeChat is called.
      const intent = await payoutOf(h, loan.loanId);
      expect(intent.bills).toHaveLength(1);
      const atWechat = sandboxBillsOf(h, intent).length;
      expect(atWechat).toBe(point === 'payout.before_create' ? 0 : 1);

      await h.advance(h.deps.settings.resendIntentAfterMs + 1_000);
      await reconcileNow(h);
      const settled = await driveToSuccess(h, loan.loanId);
      expect(settled.status).toBe('succeeded');
      const doc = await assertPayoutInvariants(h, loan.loanId);
      expect(doc.billNos).toHaveLength(1);
      expect(sandboxBillsOf(h, doc)).toHaveLength(1);
      await reconcileNow(h);
      expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
    },
  );
});
