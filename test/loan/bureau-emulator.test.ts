import type { FakeBureauService } from '../../emulator/src/bureau/service';
import { LOCAL_BUREAU_CLIENT_ID } from '../../emulator/src/bureau/service';
import { HttpCreditBureau } from '../../server/bureau/http-bureau';
import { CREDIT_REPORTS_PATH } from '../../server/bureau/protocol';
import { bureauSignature, BUREAU_HEADERS } from '../../server/bureau/signature';
import { currentCreditInquiry } from '../../server/loan/credit-consent';
import type { StoredDecision } from '../../server/risk/decide';
import type { TestEmulator } from '../helpers/emulator';
import { testIdNumber } from '../helpers/id-numbers';
import { signedConsent } from '../helpers/signed-consent';
import { IDS } from './memory-fixtures';
import { callAs, docs, lendingLogs, startLendingEmulator, verifyBorrower } from './emulator-harness';

/**
 * The credit bureau end to end: the loan function's signed HTTP client against the local fake bureau
 * (emulator/src/bureau), its faults, the circuit breaker (local declaration: 3 failures, 30 s open,
 * 1 s timeout) and the credit-inquiry authorisation. The tests of the first block run in order: they
 * drive one loan-function instance's breaker through closed → open → half-open → open → closed.
 */

let emu: TestEmulator;
let bureau: FakeBureauService;
let counter = 0;

const person = (n: number, idNumber = testIdNumber(500 + n)) => ({
  openid: `o-bureau-${n}`,
  name: '张三',
  idNumber,
  phone: `1390000${String(1000 + n)}`,
});

/** Verifies borrower `n` and applies for 200 yuan over 6 months. */
async function applyAs(p: ReturnType<typeof person>, options: { creditInquiry?: boolean } = {}) {
  await verifyBorrower(emu, p.openid, p, options);
  counter += 1;
  return callAs<{ applicationId: string; application: { status: string } }>(emu, p.openid, 'loan', {
    action: 'apply',
    requestId: `bureau-req-${counter}-${Date.now().toString(36)}`,
    amount: 20_000,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: `bureau-device-${counter}`,
    consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
  });
}

/** The stored decision of an application. */
function decisionOf(applicationId: string): StoredDecision & { status: string } {
  const app = docs<{ _id: string; status: string; decision: StoredDecision }>(emu, 'loanApplications').find(
    (doc) => doc._id === applicationId,
  );
  if (!app) throw new Error(`no application ${applicationId}`);
  return { ...app.decision, status: app.status };
}

/** Applies and answers the stored decision (the apply must succeed). */
async function decided(p: ReturnType<typeof person>): Promise<StoredDecision & { status: string }> {
  const answer = await applyAs(p);
  if (!answer.ok) throw new Error(answer.error.code);
  return decisionOf(answer.data.applicationId);
}

const fault = (spec: Record<string, unknown>) =>
  fetch(`${emu.baseUrl}/_admin/bureau/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  }).then((r) => r.json() as Promise<{ faults: unknown[] }>);

beforeAll(async () => {
  emu = await startLendingEmulator();
  bureau = emu.hub.service<FakeBureauService>('bureau');
}, 120_000);
afterAll(async () => emu.stop());

describe('outages go to manual review, and the breaker opens and recovers', () => {
  test('normal path: the signed request reaches the bureau with the authorisation and is approved', async () => {
    const before = bureau.received().length;
    const decision = await decided(person(1, IDS.approve));
    expect(decision.status).toBe('approved');
    expect(decision.inputs.creditGap).toBeUndefined();
    const inquiry = bureau.received().slice(before);
    expect(inquiry).toEqual([
      expect.objectContaining({
        answer: 'found',
        maskedIdNumber: '1****************3',
        authorisationVersion: currentCreditInquiry().version,
      }),
    ]);
  });

  test.each([
    ['slow', 'timeout', 2, IDS.reject],
    ['down', 'down', 3, testIdNumber(503)],
    ['malformed', 'malformed', 4, IDS.review],
  ])(
    'fault %s → manual review with CREDIT_BUREAU_UNAVAILABLE (%s), never a rejection',
    async (kind, cause, n, id) => {
      await fault({ kind, delayMs: 3000 });
      const decision = await decided(person(n, id));
      expect(decision.status).toBe('manual_review');
      expect(decision.reasons[0]).toBe('CREDIT_BUREAU_UNAVAILABLE');
      expect(decision.inputs.creditGap).toEqual({ code: 'CREDIT_BUREAU_UNAVAILABLE', cause });
      expect(decision.inputs.credit).toBeNull();
    },
  );

  test('after 3 failures the breaker is open: no request reaches the bureau, the application waits for a person', async () => {
    const before = bureau.received().length;
    const decision = await decided(person(5));
    expect(decision.status).toBe('manual_review');
    expect(decision.inputs.creditGap).toEqual({ code: 'CREDIT_BUREAU_UNAVAILABLE', cause: 'circuit_open' });
    expect(bureau.received().length).toBe(before);
  });

  test('half-open after 30 s: a failed probe opens it again', async () => {
    await emu.hub.clock.advance(31_000);
    await fault({ kind: 'down' });
    const before = bureau.received().length;
    expect((await decided(person(6))).inputs.creditGap).toEqual({
      code: 'CREDIT_BUREAU_UNAVAILABLE',
      cause: 'down',
    });
    expect((await decided(person(7))).inputs.creditGap).toEqual({
      code: 'CREDIT_BUREAU_UNAVAILABLE',
      cause: 'circuit_open',
    });
    expect(bureau.received().length).toBe(before + 1);
  });

  test('a successful probe closes it: the following applications reach the bureau again', async () => {
    await emu.hub.clock.advance(31_000);
    const before = bureau.received().length;
    const probe = await decided(person(8));
    expect(probe.inputs.creditGap).toBeUndefined();
    expect(probe.reasons).toContain('NO_CREDIT_FILE');
    expect((await decided(person(9))).inputs.creditGap).toBeUndefined();
    expect(
      bureau
        .received()
        .slice(before)
        .map((i) => i.answer),
    ).toEqual(['none', 'none']);
  });

  test('the functions logged the outages without personal data', () => {
    const logs = lendingLogs(emu);
    expect(logs).toContain('[bureau] unavailable: down');
    for (const id of [IDS.approve, IDS.reject, IDS.review]) expect(logs).not.toContain(id);
  });
});

describe('the fake bureau checks every request', () => {
  const body = JSON.stringify({
    inquiryId: 'a'.repeat(32),
    purpose: 'loan_application',
    subject: { name: '张三', idNumber: IDS.approve },
    authorisation: { version: currentCreditInquiry().version, textSha256: 'b'.repeat(64), at: 1 },
  });
  const post = (headers: Record<string, string>, sent = body) =>
    fetch(`${emu.baseUrl}/bureau${CREDIT_REPORTS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: sent,
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { code?: string; found?: boolean },
    }));
  const signed = (key: Buffer, nonce = 'a'.repeat(32), at = emu.hub.clock.now()) => {
    const timestamp = String(Math.floor(at / 1000));
    return {
      [BUREAU_HEADERS.client]: LOCAL_BUREAU_CLIENT_ID,
      [BUREAU_HEADERS.timestamp]: timestamp,
      [BUREAU_HEADERS.nonce]: nonce,
      [BUREAU_HEADERS.signature]: bureauSignature(key, timestamp, nonce, body),
    };
  };

  test('a wrong key, a changed body, an old timestamp or an unknown client is refused', async () => {
    expect(await post(signed(Buffer.alloc(32, 7)))).toMatchObject({
      status: 401,
      body: { code: 'SIGNATURE_INVALID' },
    });
    expect(await post(signed(bureau.key), body.replace('张三', '李四'))).toMatchObject({
      status: 401,
      body: { code: 'SIGNATURE_INVALID' },
    });
    expect(await post(signed(bureau.key, 'a'.repeat(32), emu.hub.clock.now() - 301_000))).toMatchObject({
      status: 401,
      body: { code: 'TIMESTAMP_EXPIRED' },
    });
    expect(await post({ ...signed(bureau.key), [BUREAU_HEADERS.client]: 'someone-else' })).toMatchObject({
      status: 401,
      body: { code: 'CLIENT_UNKNOWN' },
    });
  });

  test('the correctly signed request is answered once; its replay is refused', async () => {
    expect(await post(signed(bureau.key))).toMatchObject({ status: 200, body: { found: true } });
    expect(await post(signed(bureau.key))).toMatchObject({ status: 401, body: { code: 'NONCE_REUSED' } });
  });

  test('the client with a wrong signing key gets unavailable (refused), which a review sends to a person', async () => {
    const env = bureau.functionEnv();
    const client = new HttpCreditBureau(
      {
        kind: 'http',
        baseUrl: env.WXLEND_CREDIT_BUREAU_URL!,
        clientId: LOCAL_BUREAU_CLIENT_ID,
        key: Buffer.alloc(32, 9),
        timeoutMs: 1000,
        breaker: { failures: 3, openMs: 30_000 },
      },
      { clock: emu.hub.clock, reveal: () => ({ name: '张三', idNumber: IDS.approve }) },
    );
    const subject = {
      openid: 'o-x',
      idHash: 'h',
      encrypted: { name: null, idNumber: null },
      authorisation: { version: 'v', textSha256: 'c'.repeat(64), at: 1, clientIp: null },
    };
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await client.lookup(subject)).toEqual({ status: 'unavailable', cause: 'refused' });
    expect(logged).toHaveBeenCalledWith('[bureau] unavailable: refused; breaker closed');
    logged.mockRestore();
  });
});

describe('credit-inquiry authorisation', () => {
  test('without it apply is refused with a clear ask, nothing is stored and the bureau is not called', async () => {
    const p = person(20);
    const before = bureau.received().length;
    const answer = await applyAs(p, { creditInquiry: false });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CREDIT_INQUIRY_NOT_AUTHORISED' } });
    expect(!answer.ok && answer.error.message).toContain('《征信查询授权书》');
    expect(bureau.received().length).toBe(before);
    expect(docs<{ openid: string }>(emu, 'loanApplications').filter((a) => a.openid === p.openid)).toEqual(
      [],
    );
  });

  test('an outdated text is refused; the given one is recorded with version, hash, time and IP, and audited', async () => {
    const p = person(21);
    await verifyBorrower(emu, p.openid, p, { creditInquiry: false });
    const current = currentCreditInquiry();
    const outdated = await callAs(emu, p.openid, 'loan', {
      action: 'authoriseCreditInquiry',
      version: current.version,
      textSha256: '0'.repeat(64),
    });
    expect(outdated).toMatchObject({ ok: false, error: { code: 'CREDIT_INQUIRY_OUTDATED' } });
    const given = await callAs<{ version: string; authorisedAt: number }>(emu, p.openid, 'loan', {
      action: 'authoriseCreditInquiry',
      version: current.version,
      textSha256: current.sha256,
    });
    expect(given).toMatchObject({ ok: true, data: { version: current.version } });
    const borrower = docs<{ _id: string; creditInquiry?: unknown }>(emu, 'borrowers').find(
      (b) => b._id === p.openid,
    );
    expect(borrower?.creditInquiry).toEqual({
      version: current.version,
      textSha256: current.sha256,
      at: given.ok ? given.data.authorisedAt : -1,
      clientIp: '203.0.113.9',
    });
    const audit = docs<{ entry: { event: string; subject: string; details: unknown } }>(
      emu,
      'auditLog',
    ).filter(
      (r) => r.entry.event === 'credit.inquiry_authorised' && r.entry.subject === `borrower:${p.openid}`,
    );
    expect(audit.map((r) => r.entry.details)).toEqual([
      { version: current.version, textSha256: current.sha256 },
    ]);
    // Authorising the same text again keeps the first record.
    const again = await callAs<{ authorisedAt: number }>(emu, p.openid, 'loan', {
      action: 'authoriseCreditInquiry',
      version: current.version,
      textSha256: current.sha256,
    });
    expect(again.ok && given.ok && again.data.authorisedAt).toBe(given.ok && given.data.authorisedAt);
  });

  test('an unverified borrower cannot authorise', async () => {
    const current = currentCreditInquiry();
    const answer = await callAs(emu, 'o-bureau-unverified', 'loan', {
      action: 'authoriseCreditInquiry',
      version: current.version,
      textSha256: current.sha256,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'IDENTITY_NOT_VERIFIED' } });
  });
});
