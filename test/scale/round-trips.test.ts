import { createHash } from 'node:crypto';
import type { TestEmulator } from '../helpers/emulator';
import { countSdkCalls, type SdkCallCounter } from '../helpers/sdk-calls';
import { IDS } from '../loan/memory-fixtures';
import { callAs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * Round trips per step, counted as the backend sees them: every `POST /admin` the real SDK sent
 * while the step ran alone (no timers tick in tests).
 */

const AGREEMENT = '借款协议 2026-01 全文……';
const person = { openid: 'o-round-trips', name: '张三', idNumber: IDS.approve, phone: '13800000021' };

let emu: TestEmulator;
let counter: SdkCallCounter;

beforeAll(async () => {
  emu = await startLendingEmulator();
  await verifyBorrower(emu, person.openid, person);
  counter = countSdkCalls(emu.hub);
}, 120_000);

afterAll(async () => {
  counter.stop();
  await emu.stop();
});

test('loan.apply to its stored decision takes at most 10 SDK calls', async () => {
  counter.reset();
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    person.openid,
    'loan',
    {
      action: 'apply',
      requestId: 'req-round-trips-1',
      amount: 30_000,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: 'device-fingerprint-round-trips',
      consent: {
        accepted: true,
        version: '2026-01',
        textSha256: createHash('sha256').update(AGREEMENT).digest('hex'),
      },
    },
  );
  const calls = counter.total();
  console.log(`apply SDK calls: ${calls} ${JSON.stringify(counter.byAction())}`);
  expect(applied).toMatchObject({ ok: true, data: { application: { status: 'approved' } } });
  expect(calls).toBeLessThanOrEqual(10);
});
