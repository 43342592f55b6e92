import { MemoryDocStore } from '../../server/storage/memory-store';
import { AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION, AUDIT_REFUSALS, verifyChain } from '../../server/audit';
import { identityActions } from '../../server/identity/actions';
import {
  ageOn,
  blindIndex,
  createIdentityOverride,
  getBorrower,
  revealIdentity,
  verifierFor,
  type IdentityDeps,
} from '../../server/identity';
import { IDENTITY_COLLECTIONS } from '../../server/identity/records';
import { readPiiKeys } from '../../server/pii';
import { dispatchActions } from '../../server/runtime/handler';
import type { Caller } from '../../server/runtime/caller';
import { DEFAULT_IDENTITY_POLICY } from '../../shared/identity-policy';
import type { IdentityVerifierKind } from '../../typings/identity';
import { idCardPhotoDir } from '../../server/identity/id-card-photo';
import { FakeFaceVerifyApi, FakeIdentityOpenApi, fakeJpeg, MemoryPhotoStore } from './fake-openapi';
import { testPiiEnv } from './pii-keys';

const NOW = Date.UTC(2026, 10, 28, 4);
const ID = '11010519900307123X'.slice(0, 17);
const NAME = '张三';
const PHONE = '13812345678';

function checkChar(body: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((sum, d, i) => sum + Number(d) * (w[i] ?? 0), 0);
  return '10X98765432'[s % 11] ?? '';
}
const ID_NUMBER = ID + checkChar(ID);

function setup(kind: IdentityVerifierKind = 'ocr_phone', dailyAttempts = 5) {
  const store = new MemoryDocStore();
  const api = new FakeIdentityOpenApi();
  const face = new FakeFaceVerifyApi();
  const photos = new MemoryPhotoStore();
  const keys = readPiiKeys(testPiiEnv());
  let now = NOW;
  const clock = { now: () => now };
  const advance = (ms: number) => {
    now += ms;
  };
  const deps: IdentityDeps = {
    store,
    keys,
    clock,
    config: { verifier: kind, policy: DEFAULT_IDENTITY_POLICY, dailyAttempts },
    verifier: verifierFor(kind, { openApi: api, photos, face: () => face, store, clock }),
    photos,
  };
  const main = dispatchActions(
    identityActions(() => deps),
    () => caller,
  );
  let caller: Caller = {
    openid: 'o-alice',
    appid: 'wx1',
    unionid: undefined,
    clientIp: '10.0.0.1',
    source: 'wx_client',
  };
  const as = (openid: string | undefined) => {
    caller = { ...caller, openid };
  };
  let n = 0;
  /** The borrower's evidence: for face, a session `openid` started for this name and number, run with `verifyRet`. */
  const evidence = async (
    openid: string,
    name = NAME,
    idNumber = ID_NUMBER,
    phone = PHONE,
    verifyRet = 10000,
  ) => {
    n += 1;
    api.phoneCodes.set(`pc${n}`, phone);
    const photo = fakeJpeg(`img${n}`);
    const idCardFileId = `cloud://env.bucket/${idCardPhotoDir(keys, openid)}/photo-000${n}.jpg`;
    photos.files.set(idCardFileId, photo);
    api.images.set(photo.toString('base64'), { type: 'Front', name, id: idNumber });
    if (kind === 'face') {
      const session = await deps.verifier.startSession!(openid, { name, idNumber: idNumber.toUpperCase() });
      face.run(session.verifyId, verifyRet);
      return { phoneCode: `pc${n}`, faceVerifyId: session.verifyId };
    }
    return { phoneCode: `pc${n}`, idCardFileId };
  };
  const consent = async () => {
    const status = (await main({ action: 'status' })) as {
      ok: true;
      data: { notice: { version: string; sha256: string } };
    };
    return main({
      action: 'consent',
      noticeVersion: status.data.notice.version,
      noticeHash: status.data.notice.sha256,
    });
  };
  const snapshot = () =>
    JSON.stringify(
      (Object.values(IDENTITY_COLLECTIONS) as string[])
        .concat([AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION])
        .map((c) => [c, [...store.raw(c).values()]]),
    );
  return { store, api, face, photos, deps, main, as, evidence, consent, snapshot, keys, advance };
}

describe.each(['ocr_phone', 'face'] as const)('verify with %s', (kind) => {
  it('verifies, stores only envelopes, masks and hashes, and audits', async () => {
    const t = setup(kind);
    expect(await t.consent()).toMatchObject({ ok: true });
    const answer = await t.main({
      action: 'verify',
      name: ` ${NAME} `,
      idNumber: ID_NUMBER.toLowerCase(),
      ...(await t.evidence('o-alice')),
    });
    expect(answer).toMatchObject({
      ok: true,
      data: {
        verified: true,
        identity: {
          maskedName: '*三',
          maskedIdNumber: `1****************${ID_NUMBER[17]}`,
          maskedPhone: '138****5678',
          verifier: kind,
        },
      },
    });
    const stored = JSON.stringify([...t.store.raw('borrowers').values()]);
    for (const secret of [NAME, ID_NUMBER, PHONE, ID_NUMBER.slice(6, 14)])
      expect(t.snapshot()).not.toContain(secret);
    expect(stored).toContain('"kid":"k2"');
    const borrower = await getBorrower(t.deps, 'o-alice');
    expect(borrower).toMatchObject({ _id: 'o-alice', frozen: false, activeApplicationId: null, version: 1 });
    expect(borrower?.identity).toMatchObject({
      birthDate: '1990-03-07',
      gender: 'male',
      documentType: 'resident',
      idHash: blindIndex(t.keys, ID_NUMBER),
    });
    expect(await revealIdentity(t.deps, 'o-alice', '客户投诉核实')).toEqual({
      name: NAME,
      idNumber: ID_NUMBER,
      phone: PHONE,
    });
    await expect(revealIdentity(t.deps, 'o-alice', ' ')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const chain = await verifyChain(t.store);
    expect(chain).toMatchObject({ ok: true, records: 2 }); // consent + verify
    const entries = [...t.store.raw(AUDIT_COLLECTION).values()].map(
      (r) => (r as unknown as { entry: { event: string; outcome: string } }).entry,
    );
    expect(entries.map((e) => `${e.event}:${e.outcome}`)).toEqual([
      'identity.consent:success',
      'identity.verify:success',
    ]);
  });

  it('refuses a second openid with the same ID number unless an operator allowed it', async () => {
    const t = setup(kind);
    await t.consent();
    expect(
      await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-alice')) }),
    ).toMatchObject({ ok: true });
    t.as('o-bob');
    await t.consent();
    const before = JSON.stringify([
      ...t.store.raw('borrowers').values(),
      ...t.store.raw(IDENTITY_COLLECTIONS.index).values(),
    ]);
    expect(
      await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-bob')) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ID_ALREADY_BOUND' },
    });
    expect(
      JSON.stringify([
        ...t.store.raw('borrowers').values(),
        ...t.store.raw(IDENTITY_COLLECTIONS.index).values(),
      ]),
    ).toBe(before);
    await createIdentityOverride(
      t.deps,
      { idNumber: ID_NUMBER, openid: 'o-bob', operatorId: 'op-1', reason: '同一人更换微信号' },
      NOW,
    );
    expect(
      await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-bob')) }),
    ).toMatchObject({ ok: true });
    expect(await t.store.get(IDENTITY_COLLECTIONS.index, blindIndex(t.keys, ID_NUMBER))).toMatchObject({
      openid: 'o-alice',
      sharedWith: ['o-bob'],
    });
    expect(await verifyChain(t.store)).toMatchObject({ ok: true });
  });
});

describe('verify refusals', () => {
  it('requires consent first and refuses an outdated notice', async () => {
    const t = setup();
    expect(
      await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-alice')) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_REQUIRED' },
    });
    expect(
      await t.main({ action: 'consent', noticeVersion: '2020-01-01', noticeHash: 'a'.repeat(64) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONSENT_NOTICE_OUTDATED' },
    });
    expect(t.api.calls).toBe(0);
  });

  it('rate-limits attempts per openid per day with a clear error, before calling WeChat', async () => {
    const t = setup('ocr_phone', 2);
    await t.consent();
    for (let i = 0; i < 2; i += 1)
      expect(
        await t.main({
          action: 'verify',
          name: NAME,
          idNumber: ID_NUMBER,
          ...(await t.evidence('o-alice', '李四')),
        }),
      ).toMatchObject({ error: { code: 'OCR_MISMATCH' } });
    const calls = t.api.calls;
    const third = await t.main({
      action: 'verify',
      name: NAME,
      idNumber: ID_NUMBER,
      ...(await t.evidence('o-alice')),
    });
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'VERIFY_RATE_LIMITED', message: '今日认证次数已用完，请明天再试' },
    });
    expect(t.api.calls).toBe(calls);
    expect(await t.main({ action: 'status' })).toMatchObject({
      ok: true,
      data: { attemptsLeftToday: 0, verified: false },
    });
    expect(t.store.raw('borrowers').size).toBe(0);
  });

  it('maps face verification failures to specific codes and writes no identity', async () => {
    const t = setup('face');
    await t.consent();
    const verify = (evidence: Record<string, unknown>, name = NAME) =>
      t.main({ action: 'verify', name, idNumber: ID_NUMBER, ...evidence });
    // A session another openid started (its verifyId leaked) proves nothing for this caller.
    expect(await verify(await t.evidence('o-someone-else'))).toMatchObject({
      error: { code: 'FACE_RESULT_INVALID' },
    });
    // An unknown verifyId.
    expect(await verify({ phoneCode: 'x', faceVerifyId: 'forged' })).toMatchObject({
      error: { code: 'FACE_RESULT_INVALID' },
    });
    // The device reported a failed or cancelled verification.
    for (const verifyRet of [10004, 90002])
      expect(await verify(await t.evidence('o-alice', NAME, ID_NUMBER, PHONE, verifyRet))).toMatchObject({
        error: { code: 'FACE_NOT_PASSED', message: '人脸核身未通过，请本人重新核身' },
      });
    // The session was for 张三; claiming 张四 with it: WeChat refuses the cert_hash.
    expect(await verify(await t.evidence('o-alice'), '张四')).toMatchObject({
      error: { code: 'FACE_RESULT_INVALID' },
    });
    // Past getVerifyId's expires_in the session is refused before WeChat is asked.
    const late = await t.evidence('o-alice');
    t.advance(3600 * 1000);
    const calls = t.face.calls;
    expect(await verify(late)).toMatchObject({ error: { code: 'FACE_SESSION_EXPIRED' } });
    expect(t.face.calls).toBe(calls);
    expect(
      await verify({ phoneCode: 'used', faceVerifyId: (await t.evidence('o-alice')).faceVerifyId }),
    ).toMatchObject({ error: { code: 'PHONE_CODE_INVALID' } });
    expect(await verify({ phoneCode: 'x' })).toMatchObject({ error: { code: 'FACE_RESULT_REQUIRED' } });
    expect(t.store.raw('borrowers').size).toBe(0);
    expect(t.store.raw(IDENTITY_COLLECTIONS.index).size).toBe(0);
    const outcomes = [...t.store.raw(AUDIT_REFUSALS).values()].map(
      (r) => (r as unknown as { entry: { outcome: string; details: { code?: string } } }).entry,
    );
    expect(outcomes.filter((e) => e.outcome === 'refused').map((e) => e.details.code)).toEqual([
      'FACE_RESULT_INVALID',
      'FACE_RESULT_INVALID',
      'FACE_NOT_PASSED',
      'FACE_NOT_PASSED',
      'FACE_RESULT_INVALID',
      'FACE_SESSION_EXPIRED',
      'PHONE_CODE_INVALID',
    ]);
  });

  it('startFace checks the person, consent and the daily attempts before opening a session', async () => {
    const t = setup('face', 2);
    const start = (name = NAME, idNumber = ID_NUMBER) => t.main({ action: 'startFace', name, idNumber });
    expect(await start(NAME, ID_NUMBER.slice(0, 17))).toMatchObject({ error: { code: 'ID_LENGTH' } });
    expect(await start()).toMatchObject({ error: { code: 'CONSENT_REQUIRED' } });
    expect(t.face.calls).toBe(0);
    await t.consent();
    const first = (await start(` ${NAME} `, ID_NUMBER.toLowerCase())) as {
      ok: true;
      data: { verifyId: string; expiresAt: number };
    };
    expect(first).toMatchObject({ ok: true, data: { expiresAt: NOW + 3600 * 1000 } });
    // The session stores no name or number, only who started it and how to ask WeChat about it.
    expect(t.snapshot()).not.toContain(NAME);
    expect(t.snapshot()).not.toContain(ID_NUMBER);
    expect(await start()).toMatchObject({ ok: true });
    expect(await start()).toMatchObject({ error: { code: 'VERIFY_RATE_LIMITED' } });
    expect(t.face.calls).toBe(2);
    // Face spends the attempt when the session starts, so finishing it does not count again.
    t.face.run(first.data.verifyId);
    t.api.phoneCodes.set('pc-final', PHONE);
    expect(
      await t.main({
        action: 'verify',
        name: NAME,
        idNumber: ID_NUMBER,
        phoneCode: 'pc-final',
        faceVerifyId: first.data.verifyId,
      }),
    ).toMatchObject({ ok: true, data: { verified: true, identity: { verifier: 'face' } } });
    expect(await start()).toMatchObject({ error: { code: 'ALREADY_VERIFIED' } });
  });

  it('startFace is refused when the lender does not verify by face', async () => {
    const t = setup('ocr_phone');
    await t.consent();
    expect(await t.main({ action: 'startFace', name: NAME, idNumber: ID_NUMBER })).toMatchObject({
      error: { code: 'FACE_NOT_OFFERED' },
    });
  });

  it('refuses planted identity and mass-assignment keys, and unauthenticated callers', async () => {
    const t = setup();
    await t.consent();
    for (const planted of [
      { OPENID: 'o-bob' },
      { _openid: 'o-bob' },
      { _id: 'x' },
      { status: 'verified' },
      { openid: 'o-bob' },
    ]) {
      const before = t.snapshot();
      expect(
        await t.main({
          action: 'verify',
          name: NAME,
          idNumber: ID_NUMBER,
          ...(await t.evidence('o-alice')),
          ...planted,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      expect(t.snapshot()).toBe(before);
    }
    expect(await t.main({ action: 'status', OPENID: 'o-bob' })).toMatchObject({
      error: { code: 'INVALID_INPUT' },
    });
    t.as(undefined);
    expect(await t.main({ action: 'status' })).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers bad ID numbers and names with their own codes and stores nothing', async () => {
    const t = setup();
    await t.consent();
    const before = t.snapshot();
    const cases: Array<[Record<string, string>, string]> = [
      [{ idNumber: ID_NUMBER.slice(0, 15) }, 'ID_LENGTH'],
      [{ idNumber: ID_NUMBER.slice(0, 17) }, 'ID_LENGTH'],
      [{ idNumber: `${ID_NUMBER}1` }, 'ID_LENGTH'],
      [
        { idNumber: `${ID_NUMBER.slice(0, 16)}${(Number(ID_NUMBER[16]) + 1) % 10}${ID_NUMBER[17]}` },
        'ID_CHECK_DIGIT',
      ],
      [{ idNumber: '990105199003071234' }, 'ID_PROVINCE'],
      [{ name: '张\u202E三' }, 'NAME_CHARACTERS'],
      [{ name: '张' }, 'NAME_TOO_SHORT'],
    ];
    for (const [change, expected] of cases)
      expect(
        await t.main({
          action: 'verify',
          name: NAME,
          idNumber: ID_NUMBER,
          ...(await t.evidence('o-alice')),
          ...change,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: expected },
      });
    expect(t.snapshot()).toBe(before);
    expect(t.api.calls).toBe(0);
  });

  it('refuses a second verification of the same openid', async () => {
    const t = setup();
    await t.consent();
    await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-alice')) });
    expect(
      await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...(await t.evidence('o-alice')) }),
    ).toMatchObject({
      error: { code: 'ALREADY_VERIFIED' },
    });
  });
});

describe('ID-card photo from cloud storage (ocr_phone)', () => {
  it('deletes the photo after the attempt, whether it passed or was refused', async () => {
    const t = setup('ocr_phone');
    await t.consent();
    const refused = await t.evidence('o-alice', '李四');
    expect(await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...refused })).toMatchObject({
      error: { code: 'OCR_MISMATCH' },
    });
    const passed = await t.evidence('o-alice');
    expect(await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...passed })).toMatchObject({
      ok: true,
    });
    expect(t.photos.removed).toEqual([refused.idCardFileId, passed.idCardFileId]);
    expect(t.photos.files.size).toBe(0);
  });

  it("refuses a fileID outside the caller's own folder before any call, and leaves that file alone", async () => {
    const t = setup('ocr_phone');
    await t.consent();
    const bobs = await t.evidence('o-bob');
    for (const idCardFileId of [
      bobs.idCardFileId,
      bobs.idCardFileId?.replace(/[^/]+$/, '../x.jpg'),
      'cloud://env.bucket/elsewhere/photo-0001.jpg',
      'https://example.com/photo.jpg',
    ])
      expect(
        await t.main({
          action: 'verify',
          name: NAME,
          idNumber: ID_NUMBER,
          ...(await t.evidence('o-alice')),
          idCardFileId,
        }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'ID_CARD_IMAGE_FOREIGN',
          message: '身份证照片不是由您本人上传的，请重新拍摄身份证人像面',
        },
      });
    expect(t.api.calls).toBe(0);
    expect(t.photos.removed).toEqual([]);
  });

  it('answers a missing or unreadable photo with its own code', async () => {
    const t = setup('ocr_phone');
    await t.consent();
    const missing = await t.evidence('o-alice');
    t.photos.files.delete(missing.idCardFileId ?? '');
    expect(await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...missing })).toMatchObject({
      error: { code: 'ID_CARD_IMAGE_MISSING' },
    });
    const notImage = await t.evidence('o-alice');
    t.photos.files.set(notImage.idCardFileId ?? '', Buffer.from('GIF89a not a card'));
    expect(await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...notImage })).toMatchObject({
      error: { code: 'ID_CARD_IMAGE_INVALID' },
    });
    const huge = await t.evidence('o-alice');
    t.photos.files.set(
      huge.idCardFileId ?? '',
      Buffer.concat([fakeJpeg('x'), Buffer.alloc(2 * 1024 * 1024)]),
    );
    expect(await t.main({ action: 'verify', name: NAME, idNumber: ID_NUMBER, ...huge })).toMatchObject({
      error: { code: 'ID_CARD_IMAGE_INVALID' },
    });
    expect(t.api.calls).toBe(0);
  });
});

describe('helpers for the loan and ops sides', () => {
  it('ageOn counts completed years in the China calendar', () => {
    expect(ageOn('2008-11-28', NOW)).toBe(18);
    expect(ageOn('2008-11-29', NOW)).toBe(17);
    expect(ageOn('2008-11-29', Date.UTC(2026, 10, 28, 16))).toBe(18); // midnight in China
    expect(ageOn('2008-02-29', Date.UTC(2026, 1, 28, 4))).toBe(17);
    expect(ageOn('2008-02-29', Date.UTC(2026, 2, 1, 4))).toBe(18);
    expect(() => ageOn('2023-02-29', NOW)).toThrow(RangeError);
  });

  it('blindIndex normalises like verification and refuses malformed numbers', () => {
    const keys = readPiiKeys(testPiiEnv());
    expect(blindIndex(keys, ` ${ID_NUMBER.toLowerCase()} `)).toBe(blindIndex(keys, ID_NUMBER));
    expect(() => blindIndex(keys, '123')).toThrow(/身份证/);
  });
});
