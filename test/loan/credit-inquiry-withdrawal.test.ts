import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import {
  authoriseCreditInquiry,
  callAs,
  docs,
  startLendingEmulator,
  verifyBorrower,
} from './emulator-harness';

/**
 * Withdrawing the credit-inquiry authorisation (征信查询授权) through the real SDK against the local
 * backend: `loan.withdrawCreditInquiry`, what `identity.profile` lists, and what `loan.apply` refuses.
 */

/** A TEST_CREDIT_FILES identity that is approved. */
const WANG = { openid: 'o-cwd-wang', name: '李明', idNumber: '110101199003071233', phone: '13800138000' };
const NEVER = { openid: 'o-cwd-never', name: '赵强', idNumber: '310104198506124562', phone: '13700137000' };

let emu: TestEmulator;
let counter = 0;

beforeAll(async () => {
  emu = await startLendingEmulator();
}, 60_000);
afterAll(async () => {
  await emu.stop();
});

const withdraw = (openid: string, extra: Record<string, unknown> = {}) =>
  callAs(emu, openid, 'loan', { action: 'withdrawCreditInquiry', ...extra });
const profileOf = async (openid: string) => {
  const answer = await callAs<{ consents: Array<Record<string, unknown>> }>(emu, openid, 'identity', {
    action: 'profile',
  });
  if (!answer.ok) throw new Error(answer.error.code);
  return answer.data;
};
const apply = (openid: string) =>
  callAs(emu, openid, 'loan', {
    action: 'apply',
    requestId: `cwd-request-${(counter += 1)}`,
    amount: 20_000,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: `cwd-device-${openid}`,
    consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
  });
const borrowerDoc = (openid: string) =>
  docs<{ _id: string; creditInquiry?: unknown; creditInquiryHistory?: unknown[]; version: number }>(
    emu,
    'borrowers',
  ).find((b) => b._id === openid);
type AuditRow = { chain: string; seq: number; entry: { event: string; details: Record<string, unknown> } };
/** The audit records on a borrower's chain, in order. */
const auditOf = (openid: string) =>
  docs<AuditRow>(emu, 'auditLog')
    .filter((r) => r.chain === `borrower:${openid}`)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.entry);

test('withdrawing an authorisation never given is refused with a stable code; the input takes nothing', async () => {
  await verifyBorrower(emu, NEVER.openid, NEVER, { creditInquiry: false });
  const refused = await withdraw(NEVER.openid);
  expect(refused).toMatchObject({ ok: false, error: { code: 'CREDIT_INQUIRY_NOT_FOUND' } });
  expect(!refused.ok && refused.error.message).toContain('《征信查询授权书》');
  expect(await withdraw(NEVER.openid, { openid: WANG.openid })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  });
  expect(borrowerDoc(NEVER.openid)?.creditInquiryHistory).toBeUndefined();
  expect(auditOf(NEVER.openid).map((e) => e.event)).toEqual(['identity.consent', 'identity.verify']);
});

test('authorise → listed → withdraw → apply refused with nothing written → authorise again → apply ok', async () => {
  await verifyBorrower(emu, WANG.openid, WANG);
  const given = borrowerDoc(WANG.openid)?.creditInquiry as {
    version: string;
    at: number;
    textSha256: string;
  };
  const listed = await profileOf(WANG.openid);
  expect(listed.consents.filter((c) => c.kind === 'credit_inquiry')).toEqual([
    {
      kind: 'credit_inquiry',
      title: '《征信查询授权书》',
      version: given.version,
      consentedAt: given.at,
      withdrawnAt: null,
      current: true,
    },
  ]);
  expect(listed.consents.filter((c) => c.kind === 'sensitive_info')).toHaveLength(1);

  await emu.hub.clock.advance(60_000);
  const withdrawn = await withdraw(WANG.openid);
  expect(withdrawn).toEqual({
    ok: true,
    data: {
      kind: 'credit_inquiry',
      title: '《征信查询授权书》',
      version: given.version,
      consentedAt: given.at,
      withdrawnAt: expect.any(Number),
      current: true,
    },
  });
  const withdrawnAt = withdrawn.ok ? (withdrawn.data.withdrawnAt as number) : -1;
  expect(withdrawnAt).toBeGreaterThanOrEqual(given.at + 60_000);
  // Idempotent: the same answer, no second record.
  expect(await withdraw(WANG.openid)).toEqual(withdrawn);
  const stored = borrowerDoc(WANG.openid);
  expect(stored?.creditInquiry).toBeUndefined();
  expect(stored?.creditInquiryHistory).toEqual([{ ...given, clientIp: '203.0.113.9', withdrawnAt }]);
  expect((await profileOf(WANG.openid)).consents.filter((c) => c.kind === 'credit_inquiry')).toEqual([
    withdrawn.ok && withdrawn.data,
  ]);

  const before = { borrower: borrowerDoc(WANG.openid), audit: docs(emu, 'auditLog').length };
  const refused = await apply(WANG.openid);
  expect(refused).toMatchObject({ ok: false, error: { code: 'CREDIT_INQUIRY_NOT_AUTHORISED' } });
  expect(!refused.ok && refused.error.message).toContain('《征信查询授权书》');
  expect(docs<{ openid: string }>(emu, 'loanApplications').filter((a) => a.openid === WANG.openid)).toEqual(
    [],
  );
  expect(borrowerDoc(WANG.openid)).toEqual(before.borrower);
  expect(docs(emu, 'auditLog')).toHaveLength(before.audit);

  await emu.hub.clock.advance(60_000);
  await authoriseCreditInquiry(emu, WANG.openid);
  expect(await apply(WANG.openid)).toMatchObject({ ok: true, data: { application: { status: 'approved' } } });
  const again = borrowerDoc(WANG.openid)?.creditInquiry as { at: number };
  expect(again.at).toBeGreaterThanOrEqual(withdrawnAt + 60_000);
  const credit = (await profileOf(WANG.openid)).consents.filter((c) => c.kind === 'credit_inquiry');
  expect(credit).toEqual([
    expect.objectContaining({ consentedAt: again.at, withdrawnAt: null, current: true }),
    expect.objectContaining({ consentedAt: given.at, withdrawnAt, current: false }),
  ]);

  const audit = auditOf(WANG.openid);
  expect(audit.map((e) => e.event)).toEqual([
    'identity.consent',
    'identity.verify',
    'credit.inquiry_authorised',
    'credit.inquiry_withdrawn',
    'credit.inquiry_authorised',
  ]);
  expect(audit[3]?.details).toEqual({
    version: given.version,
    textSha256: given.textSha256,
    authorisedAt: given.at,
  });
});
