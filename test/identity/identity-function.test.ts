import { MemoryDocStore } from '../../server/storage/memory-store';
import { AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION, AUDIT_REFUSALS, verifyChain } from '../../server/audit';
import type { StoredDoc } from '../../server/storage/doc-store';
import { revealIdentity } from '../../server/identity';
import { readPiiKeys } from '../../server/pii';
import type { FunctionsService } from '../../emulator/src/functions';
import type { SecretsService } from '../../emulator/src/secrets';
import type { OpenapiService } from '../../emulator/src/openapi/service';
import { idCheckChar } from '../../shared/idcard';
import type { StorageService } from '../../emulator/src/storage/service';
import { serverEnvOf, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { photographIdCard } from '../helpers/id-card-photo';
import {
  callIdentity,
  databaseDump,
  documents,
  identityLogs,
  userAction,
  type Answer,
} from './emulator-harness';

/**
 * The identity function end to end: the real wx-server-sdk inside the local function runtime, the
 * local database and the openapi fakes, called through the mini-program gateway.
 */

const body = (b: string): string => b + idCheckChar(b);
const ALICE = {
  openid: 'o-alice-0001',
  name: '欧阳𠀋',
  idNumber: body('44030519950615123'),
  phone: '13812345678',
};
const BOB = { openid: 'o-bob-0002', phone: '13900001111' };
const CAROL = {
  openid: 'o-carol-0003',
  name: '阿卜杜·热合曼',
  idNumber: body('65010219880101002'),
  phone: '15011112222',
};

let emu: TestEmulator;
let verifier = 'ocr_phone';
let keyOverride: Record<string, string> = {};

beforeAll(async () => {
  emu = await startTestEmulator();
  const functions = emu.hub.service<FunctionsService>('functions');
  expect(functions.bundleFailures().filter((f) => f.name === 'identity')).toEqual([]);
  functions.contributeEnv(() => ({ WXLEND_IDENTITY_VERIFIER: verifier, ...keyOverride }));
}, 60_000);

afterAll(async () => {
  await emu.stop();
});

async function consent(openid: string): Promise<void> {
  const status = await callIdentity(emu, openid, { action: 'status' });
  if (!status.ok) throw new Error(status.error.code);
  const notice = status.data.notice as { version: string; sha256: string };
  expect(
    await callIdentity(emu, openid, {
      action: 'consent',
      noticeVersion: notice.version,
      noticeHash: notice.sha256,
    }),
  ).toEqual(expect.objectContaining({ ok: true }));
}

/** The caller's own ID-card upload folder, from `identity.status`. */
async function photoDir(openid: string): Promise<string> {
  const status = await callIdentity(emu, openid, { action: 'status' });
  if (!status.ok) throw new Error(status.error.code);
  return status.data.idCardPhotoDir as string;
}

/** A phone code plus an ID-card photo uploaded by `openid` into its own folder. */
async function ocrEvidence(openid: string, card: { name: string; id: string }, phone: string) {
  const { code } = await userAction<{ code: string }>(emu, '/_user/phone-code', { openid, phone });
  const photo = await photographIdCard(emu.baseUrl, openid, await photoDir(openid), card);
  return { phoneCode: code, idCardFileId: photo.fileId };
}

/** Paths of every file in cloud storage. */
function storedPaths(): string[] {
  return emu.hub
    .service<StorageService>('storage')
    .bucket.files()
    .map((f) => f.cloudPath);
}

/** `startFace` as `openid` for this name and number; answers the verifyId. */
async function startFace(openid: string, name: string, idNumber: string): Promise<string> {
  const started = await callIdentity(emu, openid, { action: 'startFace', name, idNumber });
  if (!started.ok) throw new Error(`startFace refused: ${started.error.code}`);
  return started.data.verifyId as string;
}

/** What `wx.requestFacialVerify` answers on the device of `openid` (the outcome is chosen by `verifyRet`). */
async function runOnDevice(openid: string, verifyId: string, verifyRet = 10000) {
  const response = await fetch(`${emu.baseUrl}/_user/face-verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, verifyId, verifyRet }),
  });
  return { status: response.status, body: (await response.json()) as { errMsg: string } };
}

/** The whole device side: startFace, face verification with `verifyRet`, and a phone-button code. */
async function faceEvidence(
  openid: string,
  name: string,
  idNumber: string,
  phone: string,
  verifyRet = 10000,
) {
  const verifyId = await startFace(openid, name, idNumber);
  expect(await runOnDevice(openid, verifyId, verifyRet)).toEqual({
    status: 200,
    body: { errMsg: 'requestFacialVerify:ok', errCode: 0 },
  });
  const { code } = await userAction<{ code: string }>(emu, '/_user/phone-code', { openid, phone });
  return { phoneCode: code, faceVerifyId: verifyId };
}

/** ALICE submits `verify` with a fresh phone code and the given face session. */
async function verifyAliceWith(faceVerifyId: string): Promise<Answer> {
  const { code } = await userAction<{ code: string }>(emu, '/_user/phone-code', {
    openid: ALICE.openid,
    phone: ALICE.phone,
  });
  return callIdentity(emu, ALICE.openid, {
    action: 'verify',
    name: ALICE.name,
    idNumber: ALICE.idNumber,
    phoneCode: code,
    faceVerifyId,
  });
}

/** The HTTPS API calls the functions made (the local api.weixin.qq.com's outbox), oldest first. */
async function httpsCalls(): Promise<Array<{ api: string; errcode: number }>> {
  const response = await fetch(`${emu.baseUrl}/_admin/openapi/outbox`);
  const { entries } = (await response.json()) as { entries: Array<{ api: string; errcode: number }> };
  return entries
    .filter((e) => ['getStableAccessToken', 'getVerifyId', 'queryVerifyInfo'].includes(e.api))
    .map(({ api, errcode }) => ({ api, errcode }));
}

async function chainVerdict() {
  const docs = documents(emu);
  const store = new MemoryDocStore();
  Object.assign(process.env, serverEnvOf(emu.hub));
  for (const c of [AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION, AUDIT_REFUSALS])
    for (const doc of (docs[c] ?? []) as StoredDoc[]) store.raw(c).set(doc._id, doc);
  return verifyChain(store);
}

function expectNoPlaintext(
  where: string,
  people: Array<{ name?: string; idNumber?: string; phone?: string }>,
): void {
  for (const person of people)
    for (const secret of [person.name, person.idNumber, person.idNumber?.toLowerCase(), person.phone]) {
      if (!secret) continue;
      expect({ where, found: where.includes(secret) }).toEqual({ where, found: false });
      const escaped = JSON.stringify(secret)
        .slice(1, -1)
        .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(where.includes(escaped)).toBe(false);
    }
}

describe('identity function, ocr_phone verifier', () => {
  it('status → consent → verify → status, with masked data only in answers', async () => {
    const before = await callIdentity(emu, ALICE.openid, { action: 'status' });
    expect(before).toMatchObject({
      ok: true,
      data: { verified: false, verifier: 'ocr_phone', attemptsLeftToday: 5, notice: { consented: false } },
    });
    expect(
      await callIdentity(emu, ALICE.openid, {
        action: 'verify',
        name: ALICE.name,
        idNumber: ALICE.idNumber,
        phoneCode: 'x',
        idCardFileId: `cloud://env.bucket/${await photoDir(ALICE.openid)}/never-uploaded.jpg`,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED' },
    });
    await consent(ALICE.openid);
    const evidence = await ocrEvidence(ALICE.openid, { name: ALICE.name, id: ALICE.idNumber }, ALICE.phone);
    // Typed with a lowercase x / surrounding spaces as a borrower might: normalised, not refused.
    const answer = await callIdentity(emu, ALICE.openid, {
      action: 'verify',
      name: ` ${ALICE.name}`,
      idNumber: ` ${ALICE.idNumber.toLowerCase()} `,
      ...evidence,
    });
    expect(answer).toMatchObject({
      ok: true,
      data: {
        verified: true,
        identity: {
          maskedName: '**𠀋',
          maskedIdNumber: `4****************${ALICE.idNumber.slice(-1)}`,
          maskedPhone: '138****5678',
          verifier: 'ocr_phone',
        },
      },
    });
    expectNoPlaintext(JSON.stringify(answer), [ALICE]);
    // The photo served this verification only: it is gone from cloud storage.
    expect(storedPaths()).toEqual([]);
    const docs = documents(emu);
    const borrower = (docs.borrowers ?? []).find((d) => (d as StoredDoc)._id === ALICE.openid) as StoredDoc;
    expect(borrower).toMatchObject({
      frozen: false,
      activeApplicationId: null,
      version: 1,
      identity: { birthDate: '1995-06-15', gender: 'male' },
    });
    const consentDoc = (docs.identityConsents ?? [])[0];
    expect(consentDoc).toMatchObject({ openid: ALICE.openid, clientIp: '203.0.113.7' });
    // The keys the function used (from the secrets service) open what it stored.
    const keys = readPiiKeys(emu.hub.service<SecretsService>('secrets').env());
    const store = new MemoryDocStore();
    store.raw('borrowers').set(ALICE.openid, borrower);
    expect(await revealIdentity({ store, keys }, ALICE.openid, 'test')).toEqual({
      name: ALICE.name,
      idNumber: ALICE.idNumber,
      phone: ALICE.phone,
    });
    expect(await chainVerdict()).toMatchObject({ ok: true, records: 2 });
  });

  it("deletes the uploaded photo after verifying, and refuses (and leaves alone) someone else's upload", async () => {
    expect(storedPaths()).toEqual([]);
    const bobs = await photographIdCard(emu.baseUrl, BOB.openid, await photoDir(BOB.openid), {
      name: CAROL.name,
      id: CAROL.idNumber,
    });
    const thief = 'o-mallory-0099';
    const { code } = await userAction<{ code: string }>(emu, '/_user/phone-code', {
      openid: thief,
      phone: CAROL.phone,
    });
    const stolen = await callIdentity(emu, thief, {
      action: 'verify',
      name: CAROL.name,
      idNumber: CAROL.idNumber,
      phoneCode: code,
      idCardFileId: bobs.fileId,
    });
    expect(stolen).toMatchObject({
      ok: false,
      error: { code: 'ID_CARD_IMAGE_FOREIGN', message: expect.stringMatching(/本人上传/) },
    });
    expect(storedPaths()).toHaveLength(1);
    // A fileID in the caller's own folder that was never uploaded: the real SDK reports the file missing.
    await consent(thief);
    const { code: second } = await userAction<{ code: string }>(emu, '/_user/phone-code', {
      openid: thief,
      phone: CAROL.phone,
    });
    expect(
      await callIdentity(emu, thief, {
        action: 'verify',
        name: CAROL.name,
        idNumber: CAROL.idNumber,
        phoneCode: second,
        idCardFileId: `cloud://env.bucket/${await photoDir(thief)}/never-uploaded.jpg`,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ID_CARD_IMAGE_MISSING', message: expect.stringMatching(/重新拍摄/) },
    });
    await emu.hub.service<StorageService>('storage').reset();
  });

  it('refuses the same ID number for another openid and stores nothing for it', async () => {
    await consent(BOB.openid);
    const evidence = await ocrEvidence(BOB.openid, { name: ALICE.name, id: ALICE.idNumber }, BOB.phone);
    const answer = await callIdentity(emu, BOB.openid, {
      action: 'verify',
      name: ALICE.name,
      idNumber: ALICE.idNumber,
      ...evidence,
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'ID_ALREADY_BOUND', message: expect.stringMatching(/已绑定/) },
    });
    const docs = documents(emu);
    expect((docs.borrowers ?? []).map((d) => (d as StoredDoc)._id)).toEqual([ALICE.openid]);
    expect(docs.identityIndex).toHaveLength(1);
    expect(await chainVerdict()).toMatchObject({ ok: true });
  });

  it('answers each bad input with its own code and changes nothing stored', async () => {
    const before = databaseDump(emu);
    const good = {
      name: CAROL.name,
      idNumber: CAROL.idNumber,
      phoneCode: 'not-used',
      idCardFileId: `cloud://env.bucket/${await photoDir(CAROL.openid)}/not-used.jpg`,
    };
    const bobsPhoto = `cloud://env.bucket/${await photoDir(BOB.openid)}/his-own.jpg`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ idNumber: CAROL.idNumber.slice(0, 15) }, 'ID_LENGTH'],
      [{ idNumber: CAROL.idNumber.slice(0, 17) }, 'ID_LENGTH'],
      [{ idNumber: `${CAROL.idNumber}0` }, 'ID_LENGTH'],
      [
        { idNumber: `${CAROL.idNumber.slice(0, 17)}${CAROL.idNumber.endsWith('0') ? '1' : '0'}` },
        'ID_CHECK_DIGIT',
      ],
      [{ idNumber: `${CAROL.idNumber.slice(0, 6)} ${CAROL.idNumber.slice(6)}` }, 'ID_FORMAT'],
      [{ idNumber: body('00010219880101002') }, 'ID_FORMAT'],
      [{ idNumber: body('99010219880101002') }, 'ID_PROVINCE'],
      [{ idNumber: body('65010220230229002') }, 'ID_BIRTH_DATE'],
      [{ idNumber: body('65010219881301002') }, 'ID_BIRTH_DATE'],
      [{ idNumber: body('65010219880100002') }, 'ID_BIRTH_DATE'],
      [{ idNumber: body('65010221000101002') }, 'ID_BIRTH_FUTURE'],
      [{ idNumber: body('65010220150101002') }, 'ID_AGE_TOO_YOUNG'],
      [{ idNumber: body('65010219500101002') }, 'ID_AGE_TOO_OLD'],
      [{ idNumber: body('81000019900101002') }, 'ID_PERMIT_NOT_ACCEPTED'],
      [{ name: '张\u0000三' }, 'NAME_CHARACTERS'],
      [{ name: '张\u202E三' }, 'NAME_CHARACTERS'],
      [{ name: '张三\n[INFO] forged' }, 'NAME_CHARACTERS'],
      [{ name: '·张三' }, 'NAME_DOT'],
      [{ name: '张'.repeat(40) }, 'NAME_TOO_LONG'],
      [{ name: '张'.repeat(1024 * 1024) }, 'INVALID_INPUT'],
      [{ idCardFileId: undefined }, 'ID_CARD_IMAGE_REQUIRED'],
      [{ idCardFileId: bobsPhoto }, 'ID_CARD_IMAGE_FOREIGN'],
      [{ idCardImage: { contentType: 'image/jpeg', base64: '/9j/4AAQ' } }, 'INVALID_INPUT'],
      [{ idNumber: { $ne: '' } }, 'INVALID_INPUT'],
      [{ _openid: BOB.openid }, 'INVALID_INPUT'],
      [{ _id: CAROL.openid }, 'INVALID_INPUT'],
      [{ status: 'verified' }, 'INVALID_INPUT'],
    ];
    await consent(CAROL.openid);
    const afterConsent = databaseDump(emu);
    expect(afterConsent).not.toBe(before);
    for (const [change, code] of cases) {
      const answer = await callIdentity(emu, CAROL.openid, { action: 'verify', ...good, ...change });
      expect({ change: Object.keys(change), answer }).toMatchObject({
        answer: { ok: false, error: { code } },
      });
      if (!answer.ok) expect(answer.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(databaseDump(emu)).toBe(afterConsent);
  });

  it('ignores or refuses an OPENID planted in the event', async () => {
    const planted = await callIdentity(emu, CAROL.openid, { action: 'status', OPENID: ALICE.openid });
    expect(planted).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const spoofedUserInfo = await callIdentity(emu, CAROL.openid, {
      action: 'status',
      userInfo: { openId: ALICE.openid },
    });
    expect(spoofedUserInfo).toMatchObject({ ok: true, data: { verified: false } }); // Carol's own state, not Alice's
    const evidence = await ocrEvidence(CAROL.openid, { name: CAROL.name, id: CAROL.idNumber }, CAROL.phone);
    const before = databaseDump(emu);
    expect(
      await callIdentity(emu, CAROL.openid, {
        action: 'verify',
        name: CAROL.name,
        idNumber: CAROL.idNumber,
        ...evidence,
        OPENID: ALICE.openid,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(databaseDump(emu)).toBe(before);
  });

  it('two openids verifying one new ID number at the same moment: exactly one wins', async () => {
    const idNumber = body('32010619850505001');
    const name = '钱多多';
    const openids = ['o-dave-0004', 'o-eve-0005', 'o-frank-0006'];
    const requests = await Promise.all(
      openids.map(async (openid, i) => {
        await consent(openid);
        return { openid, evidence: await ocrEvidence(openid, { name, id: idNumber }, `1370000000${i}`) };
      }),
    );
    const answers = await Promise.all(
      requests.map(({ openid, evidence }) =>
        callIdentity(emu, openid, { action: 'verify', name, idNumber, ...evidence }),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.error.code))).toEqual([
      'ID_ALREADY_BOUND',
      'ID_ALREADY_BOUND',
    ]);
    const winner = openids[answers.findIndex((a) => a.ok)];
    const indexDocs = (documents(emu).identityIndex ?? []) as Array<StoredDoc & { openid: string }>;
    expect(indexDocs.filter((d) => d.openid === winner)).toHaveLength(1);
    const verified = ((documents(emu).borrowers ?? []) as StoredDoc[])
      .map((d) => d._id)
      .filter((id) => openids.includes(id));
    expect(verified).toEqual([winner]);
    expect(await chainVerdict()).toMatchObject({ ok: true });
  });

  it('leaves no name, ID number or phone in clear in the database or the invocation logs', () => {
    expectNothingInClear();
  });
});

/** Scans the whole database and the captured invocation logs (both are cleared by a reset). */
function expectNothingInClear(): void {
  const dump = databaseDump(emu);
  const logs = identityLogs(emu);
  // Positive controls: the scan does see the stored documents and the invocations.
  expect(dump).toContain('identityIndex');
  expect(dump).toContain('"masked"');
  expect(dump).toMatch(/"kid":"local-1"/);
  expect(
    emu.hub.service<FunctionsService>('functions').invocations({ name: 'identity' }).length,
  ).toBeGreaterThan(3);
  expect(() => expectNoPlaintext(`${dump}${ALICE.phone}`, [ALICE])).toThrow();
  expectNoPlaintext(dump, [ALICE, BOB, CAROL]);
  expectNoPlaintext(logs, [ALICE, BOB, CAROL]);
}

describe('identity function, face verifier', () => {
  beforeAll(async () => {
    verifier = 'face';
    await emu.hub.reset(); // fresh data and fresh instances, which read the new verifier setting
  });

  it('verifies through getVerifyId → wx.requestFacialVerify → queryVerifyInfo and the phone button', async () => {
    expect(await callIdentity(emu, CAROL.openid, { action: 'status' })).toMatchObject({
      ok: true,
      data: { verifier: 'face' },
    });
    await consent(CAROL.openid);
    const failed = await faceEvidence(CAROL.openid, CAROL.name, CAROL.idNumber, CAROL.phone, 10004);
    expect(
      await callIdentity(emu, CAROL.openid, {
        action: 'verify',
        name: CAROL.name,
        idNumber: CAROL.idNumber,
        ...failed,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FACE_NOT_PASSED' } });
    const evidence = await faceEvidence(CAROL.openid, CAROL.name, CAROL.idNumber, CAROL.phone);
    const answer = await callIdentity(emu, CAROL.openid, {
      action: 'verify',
      name: CAROL.name,
      idNumber: CAROL.idNumber,
      ...evidence,
    });
    expect(answer).toMatchObject({
      ok: true,
      data: {
        verified: true,
        attemptsLeftToday: 3,
        identity: { maskedName: '******曼', maskedPhone: '150****2222', verifier: 'face' },
      },
    });
    // One token for the instance (cached), then each step over HTTPS with it.
    expect(await httpsCalls()).toEqual([
      { api: 'getStableAccessToken', errcode: 0 },
      { api: 'getVerifyId', errcode: 0 },
      { api: 'queryVerifyInfo', errcode: 0 },
      { api: 'getVerifyId', errcode: 0 },
      { api: 'queryVerifyInfo', errcode: 0 },
    ]);
    const all = documents(emu);
    // Chained records and refusal records, in the order they happened.
    const events = (
      [...(all[AUDIT_COLLECTION] ?? []), ...(all[AUDIT_REFUSALS] ?? [])] as Array<{
        entry: { at: number; event: string; outcome: string };
      }>
    )
      .sort((a, b) => a.entry.at - b.entry.at)
      .map((r) => `${r.entry.event}:${r.entry.outcome}`);
    expect(events).toEqual([
      'identity.consent:success',
      'identity.verify:refused',
      'identity.verify:success',
    ]);
    expect(await chainVerdict()).toMatchObject({ ok: true, records: 2, refusals: 1 });
  });

  it('refuses a verifyId another openid started, on the device and on the server', async () => {
    await consent(ALICE.openid);
    await consent(BOB.openid);
    const stolen = await startFace(BOB.openid, ALICE.name, ALICE.idNumber);
    expect(await runOnDevice(ALICE.openid, stolen)).toEqual({
      status: 400,
      body: { errMsg: 'requestFacialVerify:fail invalid verifyId', errCode: 1 },
    });
    await runOnDevice(BOB.openid, stolen);
    expect(await verifyAliceWith(stolen)).toMatchObject({
      ok: false,
      error: { code: 'FACE_RESULT_INVALID' },
    });
  });

  it('refuses a session for another name: WeChat checks the cert_hash of the claimed identity', async () => {
    const evidence = await faceEvidence(ALICE.openid, '欧阳明', ALICE.idNumber, ALICE.phone);
    expect(
      await callIdentity(emu, ALICE.openid, {
        action: 'verify',
        name: ALICE.name,
        idNumber: ALICE.idNumber,
        ...evidence,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FACE_RESULT_INVALID' } });
    expect((await httpsCalls()).at(-1)).toEqual({ api: 'queryVerifyInfo', errcode: 40097 });
  });

  it('a revoked access token is replaced once and the call goes through', async () => {
    await userAction(emu, '/_admin/openapi/access-tokens/revoke', {});
    const before = (await httpsCalls()).length;
    await startFace(ALICE.openid, ALICE.name, ALICE.idNumber);
    expect((await httpsCalls()).slice(before)).toEqual([
      { api: 'getVerifyId', errcode: 40001 },
      { api: 'getStableAccessToken', errcode: 0 },
      { api: 'getVerifyId', errcode: 0 },
    ]);
  });

  it('an expired session is refused on the device and by the server', async () => {
    const verifyId = await startFace(ALICE.openid, ALICE.name, ALICE.idNumber);
    await userAction(emu, '/_admin/clock', { advanceMs: 3600 * 1000 });
    expect(await runOnDevice(ALICE.openid, verifyId)).toMatchObject({
      status: 400,
      body: { errMsg: 'requestFacialVerify:fail verifyId expired' },
    });
    expect(await verifyAliceWith(verifyId)).toMatchObject({
      ok: false,
      error: { code: 'FACE_SESSION_EXPIRED', message: '人脸核身已超时，请重新提交并在1小时内完成核身' },
    });
  });

  it('leaves no name, ID number or phone in clear in the database or the invocation logs', () => {
    expectNothingInClear();
  });
});

describe('face verification with a wrong AppSecret', () => {
  afterAll(async () => {
    keyOverride = {};
    await emu.hub.reset();
  });

  it('refuses with VERIFIER_UNAVAILABLE and never logs the secret', async () => {
    keyOverride = { WECHAT_APP_SECRET: 'wrong-secret-0123456789abcdef' };
    await emu.hub.reset();
    await consent(BOB.openid);
    expect(
      await callIdentity(emu, BOB.openid, {
        action: 'startFace',
        name: ALICE.name,
        idNumber: ALICE.idNumber,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VERIFIER_UNAVAILABLE', message: '认证服务暂时不可用，请稍后再试' },
    });
    expect(await httpsCalls()).toEqual([{ api: 'getStableAccessToken', errcode: 40125 }]);
    const real = emu.hub.service<OpenapiService>('openapi').wechatApiEnv().WECHAT_APP_SECRET ?? '';
    expect(real).toMatch(/^[0-9a-f]{32}$/);
    const logs = identityLogs(emu);
    expect(logs).not.toContain('wrong-secret-0123456789abcdef');
    expect(logs).not.toContain(real);
  });
});

describe('misconfigured keys', () => {
  it('the function refuses to run and logs which variable is wrong (never a key)', async () => {
    const secrets = emu.hub.service<SecretsService>('secrets');
    expect(emu.hub.health()).toMatchObject({
      services: expect.arrayContaining([
        { name: 'secrets', activeKid: 'local-1', contributedToFunctions: true },
      ]),
    });
    keyOverride = { WXLEND_PII_KEYS: '' };
    await emu.hub.reset();
    expect(await callIdentity(emu, ALICE.openid, { action: 'status' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL_ERROR' },
    });
    expect(identityLogs(emu)).toContain('PII key configuration: WXLEND_PII_KEYS is not set');
    keyOverride = { WXLEND_PII_ACTIVE_KID: 'retired' };
    await emu.hub.reset();
    expect(await callIdentity(emu, ALICE.openid, { action: 'status' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL_ERROR' },
    });
    expect(identityLogs(emu)).toContain('WXLEND_PII_ACTIVE_KID retired is not one of the keys');
    const env = secrets.env();
    const material = [
      ...Object.values(JSON.parse(env.WXLEND_PII_KEYS ?? '{}') as Record<string, string>),
      env.WXLEND_BLIND_INDEX_KEY ?? '',
    ];
    expect(material).toHaveLength(2);
    for (const key of material) expect(identityLogs(emu)).not.toContain(key);
  });
});
