import { databaseDump } from './emulator-harness';
import { signedConsent } from '../helpers/signed-consent';
import type { TestEmulator } from '../helpers/emulator';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * 我的 through the real SDK: the identity function's rights actions (profile, withdrawConsent,
 * requestDeletion, cancelDeletion, requestCorrection) against the local backend, and what they
 * block in the loan function.
 */

/** TEST_CREDIT_FILES identities (approved, and sent to manual review). */
const LI = { openid: 'o-rights-li', name: '李明', idNumber: '110101199003071233', phone: '13800138000' };
const ZHAO = { openid: 'o-rights-zhao', name: '赵强', idNumber: '310104198506124562', phone: '13700137000' };

let emu: TestEmulator;
let counter = 0;

beforeAll(async () => {
  emu = await startLendingEmulator();
}, 60_000);
afterAll(async () => {
  await emu.stop();
});

const identity = (openid: string, data: Record<string, unknown>) => callAs(emu, openid, 'identity', data);
const apply = (openid: string) =>
  callAs(emu, openid, 'loan', {
    action: 'apply',
    requestId: `rights-request-${(counter += 1)}`,
    amount: 20_000,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: `rights-device-${openid}`,
    consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
  });

/** The audit events recorded on a borrower's chain, in order. */
function auditEvents(openid: string): string[] {
  return docs<{ chain: string; seq: number; entry: { event: string; details: Record<string, unknown> } }>(
    emu,
    'auditLog',
  )
    .filter((r) => r.chain === `borrower:${openid}`)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.entry.event);
}

test('profile shows masked identity and each consent with version and time; nothing before verifying', async () => {
  const empty = await identity(LI.openid, { action: 'profile' });
  expect(empty).toEqual({
    ok: true,
    data: {
      identity: null,
      consents: [],
      deletion: null,
      corrections: [],
      notice: {
        version: expect.any(String),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        consented: false,
      },
      applyBlock: null,
    },
  });

  await verifyBorrower(emu, LI.openid, LI);
  const profile = await identity(LI.openid, { action: 'profile' });
  if (!profile.ok) throw new Error(profile.error.code);
  expect(profile.data).toMatchObject({
    identity: { maskedName: '*明', maskedIdNumber: '1****************3', maskedPhone: '138****8000' },
    consents: [
      {
        kind: 'sensitive_info',
        title: '《敏感个人信息处理单独告知》',
        version: expect.any(String),
        consentedAt: expect.any(Number),
        withdrawnAt: null,
        current: true,
      },
    ],
    deletion: null,
  });
  const shown = JSON.stringify(profile.data);
  for (const secret of [LI.name, LI.idNumber, LI.phone]) expect(shown).not.toContain(secret);
});

test('withdrawing the processing consent blocks new applications until it is given again', async () => {
  const status = await identity(LI.openid, { action: 'status' });
  if (!status.ok) throw new Error(status.error.code);
  const notice = status.data.notice as { version: string; sha256: string };
  expect(status.data.applyBlock).toBeNull();

  const withdrawn = await identity(LI.openid, { action: 'withdrawConsent', noticeVersion: notice.version });
  expect(withdrawn).toMatchObject({ ok: true, data: { withdrawnAt: expect.any(Number), current: true } });
  const again = await identity(LI.openid, { action: 'withdrawConsent', noticeVersion: notice.version });
  expect(again).toEqual(withdrawn);
  expect(await identity(LI.openid, { action: 'status' })).toMatchObject({
    ok: true,
    data: { notice: { consented: false }, applyBlock: 'consent_withdrawn' },
  });

  const refused = await apply(LI.openid);
  expect(refused).toMatchObject({ ok: false, error: { code: 'CONSENT_WITHDRAWN' } });
  expect(refused.ok ? '' : refused.error.message).toContain('重新同意');
  expect(docs(emu, 'loanApplications').filter((a) => a.openid === LI.openid)).toHaveLength(0);

  expect(
    await identity(LI.openid, {
      action: 'consent',
      noticeVersion: notice.version,
      noticeHash: notice.sha256,
    }),
  ).toMatchObject({ ok: true });
  expect(await identity(LI.openid, { action: 'status' })).toMatchObject({
    ok: true,
    data: { notice: { consented: true }, applyBlock: null },
  });
  expect(await apply(LI.openid)).toMatchObject({ ok: true });

  const profile = await identity(LI.openid, { action: 'profile' });
  if (!profile.ok) throw new Error(profile.error.code);
  const consents = profile.data.consents as Array<{ withdrawnAt: number | null; consentedAt: number }>;
  expect(consents).toHaveLength(2);
  expect(consents[0]?.withdrawnAt).toBeNull();
  expect(consents[1]?.withdrawnAt).toBe((withdrawn.ok && withdrawn.data.withdrawnAt) || -1);
  expect(auditEvents(LI.openid)).toEqual([
    'identity.consent',
    'identity.verify',
    // verifyBorrower then gives the credit-inquiry authorisation the apply page asks for.
    'credit.inquiry_authorised',
    'identity.consent_withdrawn',
    'identity.consent',
  ]);
});

test('withdrawing a consent never given, or of another version, is refused', async () => {
  expect(await identity('o-rights-nobody', { action: 'withdrawConsent', noticeVersion: 'x' })).toMatchObject({
    ok: false,
    error: { code: 'CONSENT_NOT_FOUND' },
  });
  const status = await identity('o-rights-nobody', { action: 'status' });
  const version = status.ok ? (status.data.notice as { version: string }).version : '';
  expect(
    await identity('o-rights-nobody', { action: 'withdrawConsent', noticeVersion: version }),
  ).toMatchObject({
    ok: false,
    error: { code: 'CONSENT_NOT_FOUND' },
  });
  expect(
    await identity('o-rights-nobody', {
      action: 'withdrawConsent',
      noticeVersion: version,
      openid: LI.openid,
    }),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('account deletion: refused during an application; recorded, blocking, shown and cancellable', async () => {
  expect(await identity(LI.openid, { action: 'requestDeletion' })).toMatchObject({
    ok: false,
    error: { code: 'DELETION_ACTIVE_APPLICATION' },
  });

  await verifyBorrower(emu, ZHAO.openid, ZHAO);
  const requested = await identity(ZHAO.openid, { action: 'requestDeletion' });
  expect(requested).toMatchObject({ ok: true, data: { state: 'received', requestedAt: expect.any(Number) } });
  expect(await identity(ZHAO.openid, { action: 'requestDeletion' })).toEqual(requested);
  expect(await identity(ZHAO.openid, { action: 'profile' })).toMatchObject({
    ok: true,
    data: { deletion: { state: 'received' } },
  });
  expect(await identity(ZHAO.openid, { action: 'status' })).toMatchObject({
    ok: true,
    data: { applyBlock: 'deletion_requested' },
  });
  expect(await apply(ZHAO.openid)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DELETION_PENDING' } });
  expect(docs(emu, 'identityRequests')).toEqual([
    expect.objectContaining({ _id: `${ZHAO.openid}:deletion`, kind: 'deletion', state: 'received' }),
  ]);

  expect(await identity(ZHAO.openid, { action: 'cancelDeletion' })).toMatchObject({
    ok: true,
    data: { state: 'cancelled' },
  });
  expect(await identity(ZHAO.openid, { action: 'cancelDeletion' })).toMatchObject({
    ok: false,
    error: { code: 'DELETION_NOT_PENDING' },
  });
  expect(await apply(ZHAO.openid)).toMatchObject({ ok: true });
  expect(auditEvents(ZHAO.openid)).toEqual([
    'identity.consent',
    'identity.verify',
    // verifyBorrower then gives the credit-inquiry authorisation the apply page asks for.
    'credit.inquiry_authorised',
    'identity.deletion_requested',
    'identity.deletion_cancelled',
  ]);
});

test('a correction request is recorded for operators with its text encrypted, and shown by field only', async () => {
  expect(
    await identity('o-rights-unverified', { action: 'requestCorrection', field: 'name', detail: '张三' }),
  ).toMatchObject({ ok: false, error: { code: 'IDENTITY_NOT_VERIFIED' } });
  expect(
    await identity(LI.openid, { action: 'requestCorrection', field: 'phone', detail: '   ' }),
  ).toMatchObject({
    ok: false,
    error: { code: 'CORRECTION_DETAIL_REQUIRED' },
  });
  expect(
    await identity(LI.openid, { action: 'requestCorrection', field: 'email', detail: 'x' }),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

  const secret = '新手机号 13911112222';
  const answer = await identity(LI.openid, { action: 'requestCorrection', field: 'phone', detail: secret });
  expect(answer).toEqual({
    ok: true,
    data: { field: 'phone', state: 'received', requestedAt: expect.any(Number) },
  });
  expect(await identity(LI.openid, { action: 'profile' })).toMatchObject({
    ok: true,
    data: { corrections: [{ field: 'phone', state: 'received' }] },
  });
  expect(databaseDump(emu)).not.toContain('13911112222');
  expect(auditEvents(LI.openid).at(-1)).toBe('identity.correction_requested');
});
