import {
  approvalToAwaitingConfirmation,
  confirmationToDisbursed,
  seedOpenPayouts,
  timedReconcile,
} from './bench-scenarios';
import { assertPayoutInvariants, payoutOf, startPayoutHarness, type PayoutHarness } from './harness';

describe('what the payout benchmarks run (small sizes here; figures are printed, not asserted)', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('approval → awaiting confirmation → disbursed', async () => {
    const waiting = await approvalToAwaitingConfirmation(h);
    const disbursed = await confirmationToDisbursed(h, waiting.loanId, waiting.confirmation);
    console.log(
      `payout: approval→awaiting ${waiting.ms.toFixed(0)} ms, confirmation→disbursed ${disbursed.toFixed(0)} ms`,
    );
    await assertPayoutInvariants(h, waiting.loanId);
  });

  test('reconciliation over seeded open bills settles each on the true state', async () => {
    const ids = await seedOpenPayouts(h, 40);
    await h.steps(2);
    const { ms, report } = await timedReconcile(h);
    console.log(`payout: reconcile ${report.examined} open bills in ${ms.toFixed(0)} ms`);
    expect(report.examined).toBeGreaterThanOrEqual(40);
    for (const id of ids) expect((await payoutOf(h, id)).bills[0]?.phase).toBe('WAIT_USER_CONFIRM');
  });
});
