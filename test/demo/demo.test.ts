import { useConsoleSdk } from '../../scripts/demo/backend';
import { runDemo } from '../../scripts/demo/run';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
  useConsoleSdk(emu.baseUrl, emu.hub.config.envId);
}, 60_000);
afterAll(async () => {
  await emu.stop();
});

test('three demo borrowers each end in the state their scenario leads to', async () => {
  const result = await runDemo({ baseUrl: emu.baseUrl, borrowers: 3 });
  expect(result.outcomes.map((o) => [o.scenario, o.appliedStatus, o.finalStatus])).toEqual([
    ['auto_approve', 'approved', 'repaying'],
    ['review_approve', 'manual_review', 'repaying'],
    ['auto_reject', 'rejected', 'rejected'],
  ]);
  for (const outcome of result.outcomes) {
    expect(outcome.note).toBeUndefined();
    expect(outcome.journeyMs).toBeGreaterThan(0);
  }
  expect(result.faults).toEqual([]);
  expect(result.repayments.map((r) => [r.plan, r.payments, r.finalStatus])).toEqual([
    ['early_settlement', 1, 'settled'],
    ['falls_overdue', 1, 'overdue'],
  ]);
  const bills = (await (await fetch(`${emu.baseUrl}/_admin/wechatpay/bills`)).json()) as {
    bills: Array<{ bill: { openid: string; state: string } }>;
  };
  const paid = bills.bills.filter((b) => b.bill.state === 'SUCCESS').map((b) => b.bill.openid);
  expect(paid.sort()).toEqual([result.outcomes[0]?.openid, result.outcomes[1]?.openid].sort());
}, 120_000);
