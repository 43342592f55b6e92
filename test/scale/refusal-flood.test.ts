import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { testIdNumber } from '../helpers/id-numbers';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * A flood of refused `ops` calls (16 parallel streams from one non-operator) while 10 verified
 * borrowers apply: refusals write no shared document and take no transaction on one, so every apply
 * goes through.
 */

const BORROWERS = Array.from({ length: 10 }, (_, i) => ({
  openid: `o-flood-borrower-${i}`,
  name: '张三',
  idNumber: testIdNumber(100 + i),
  phone: `1380000${String(1000 + i)}`,
}));
const INTRUDER = 'o-flood-intruder';

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startLendingEmulator();
  for (const b of BORROWERS) await verifyBorrower(emu, b.openid, b);
}, 180_000);

afterAll(async () => {
  await emu.stop();
});

test('16 streams of refused ops calls slow no borrower: all 10 concurrent applies succeed', async () => {
  let flooding = true;
  const codes: Record<string, number> = {};
  const stream = async (): Promise<void> => {
    while (flooding) {
      const answer = await callAs(emu, INTRUDER, 'ops', { action: 'queue' });
      const code = answer.ok ? 'OK' : answer.error.code;
      codes[code] = (codes[code] ?? 0) + 1;
    }
  };
  const streams = Array.from({ length: 16 }, stream);
  // Let the flood get going before the borrowers arrive.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const applies = await Promise.all(
    BORROWERS.map((b, i) =>
      callAs<{ applicationId: string }>(emu, b.openid, 'loan', {
        action: 'apply',
        requestId: `req-flood-${i}`,
        amount: 20_000,
        termMonths: 6,
        method: 'equal_instalment',
        purpose: 'consumption',
        deviceFingerprint: `device-flood-${i}`,
        consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
      }),
    ),
  );
  flooding = false;
  await Promise.all(streams);
  console.log(`refused ops calls during the applies: ${JSON.stringify(codes)}`);
  for (const answer of applies) expect(answer).toMatchObject({ ok: true });
  expect(codes.OK).toBeUndefined();
  expect(codes.OPERATOR_REQUIRED ?? 0).toBeGreaterThan(16);
  // The flood left refusal records (no chain head), and at most one per limited spell once limited.
  const refusals = docs<{ entry: { actor: string; details: { code: string } } }>(emu, 'auditRefusals');
  const intruder = refusals.filter((r) => r.entry.actor === INTRUDER);
  expect(intruder.length).toBeGreaterThan(0);
  expect(docs<{ _id: string }>(emu, 'auditHeads').some((h) => h._id.includes(INTRUDER))).toBe(false);
}, 120_000);
