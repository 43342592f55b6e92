import { startWithFixtures, type FixtureEmulator } from './fixture-emulator';

/** What the probe fixture answers. */
interface ProbeAnswer {
  ok: boolean;
  result?: Record<string, unknown>;
  errCode?: number;
  errMsg?: string;
}

describe('cloud-call (openapi) fakes through the real wx-server-sdk', () => {
  let emu: FixtureEmulator;

  /** Calls `api` from the probe function as `openid`. */
  async function probe(
    openid: string,
    api: string,
    params: Record<string, unknown>,
    extra = {},
  ): Promise<ProbeAnswer> {
    const run = await emu.invokeAsUser('extOpenapiProbe', openid, { api, params, ...extra });
    expect(run.error).toBeUndefined();
    return run.result as ProbeAnswer;
  }

  const approvedData = { thing1: { value: '借款申请已通过' }, amount2: { value: '¥5000.00' } };

  beforeAll(async () => {
    emu = await startWithFixtures(['extOpenapiProbe', 'extOpenapiUnlisted']);
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('one accepted subscription allows exactly one message; the next answers 43101', async () => {
    const grant = await emu.post<Record<string, string>>('/_user/subscribe', {
      openid: 'oQuotaUser',
      tmplIds: ['TPL_APPROVED', 'TPL_OTHER'],
      accepted: ['TPL_APPROVED'],
    });
    expect(grant.body).toMatchObject({ TPL_APPROVED: 'accept', TPL_OTHER: 'reject' });
    const send = {
      touser: 'oQuotaUser',
      templateId: 'TPL_APPROVED',
      page: 'pages/loan/index',
      data: approvedData,
    };
    const first = await probe('oQuotaUser', 'subscribeMessage.send', send);
    expect(first.ok).toBe(true);
    expect(typeof first.result?.msgid).toBe('number');
    const second = await probe('oQuotaUser', 'subscribeMessage.send', send);
    expect(second).toMatchObject({ ok: false, errCode: 43101 });
    const other = await probe('oQuotaUser', 'subscribeMessage.send', { ...send, templateId: 'TPL_OTHER' });
    expect(other).toMatchObject({ ok: false, errCode: 43101 });
    const outbox = await emu.get<{ entries: Array<{ payload: { touser: string; template_id: string } }> }>(
      '/_admin/openapi/outbox?kind=message',
    );
    expect(outbox.entries.filter((e) => e.payload.touser === 'oQuotaUser')).toHaveLength(1);
  });

  test('a field over its limit answers 47003 and does not spend the authorisation', async () => {
    await emu.post('/_user/subscribe', { openid: 'oFieldUser', tmplIds: ['TPL_APPROVED'] });
    const base = { touser: 'oFieldUser', templateId: 'TPL_APPROVED' };
    const tooLong = await probe('oFieldUser', 'subscribeMessage.send', {
      ...base,
      data: { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } },
    });
    expect(tooLong).toMatchObject({ ok: false, errCode: 47003 });
    expect(tooLong.errMsg).toMatch(/data\.thing1\.value/);
    const chinese = await probe('oFieldUser', 'subscribeMessage.send', {
      ...base,
      data: { character_string1: { value: '合同001' } },
    });
    expect(chinese).toMatchObject({ ok: false, errCode: 47003 });
    const phrase = await probe('oFieldUser', 'subscribeMessage.send', {
      ...base,
      data: { phrase1: { value: '审核已经通过了' } },
    });
    expect(phrase).toMatchObject({ ok: false, errCode: 47003 });
    const valid = await probe('oFieldUser', 'subscribeMessage.send', { ...base, data: approvedData });
    expect(valid.ok).toBe(true);
  });

  test('an API missing from config.json permissions.openapi is refused with -604101', async () => {
    await emu.post('/_user/subscribe', { openid: 'oPermUser', tmplIds: ['TPL_APPROVED'] });
    const run = await emu.invokeAsUser('extOpenapiUnlisted', 'oPermUser', {
      api: 'subscribeMessage.send',
      params: { touser: 'oPermUser', templateId: 'TPL_APPROVED', data: approvedData },
    });
    expect(run.result).toMatchObject({ ok: false, errCode: -604101 });
    expect((run.result as ProbeAnswer).errMsg).toMatch(/error code: -604101/);
    const allowed = await emu.invokeAsUser('extOpenapiUnlisted', 'oPermUser', {
      api: 'security.msgSecCheck',
      params: { content: 'hello' },
    });
    expect(allowed.result).toMatchObject({ ok: true });
    const calls = await emu.get<{ entries: Array<{ caller: string; errcode: number }> }>(
      '/_admin/openapi/outbox?api=subscribeMessage.send',
    );
    expect(calls.entries.some((e) => e.caller === 'extOpenapiUnlisted' && e.errcode === -604101)).toBe(true);
  });

  test('a phone code works once and expires after 5 minutes of emulator time', async () => {
    const issued = await emu.post<{ code: string }>('/_user/phone-code', {
      openid: 'oPhone',
      phone: '13800138000',
    });
    const first = await probe('oPhone', 'phonenumber.getPhoneNumber', { code: issued.body.code });
    expect(first.ok).toBe(true);
    expect(first.result?.phoneInfo).toMatchObject({ phoneNumber: '13800138000', countryCode: '86' });
    const reused = await probe('oPhone', 'phonenumber.getPhoneNumber', { code: issued.body.code });
    expect(reused).toMatchObject({ ok: false, errCode: 40029 });

    const fresh = await emu.post<{ code: string }>('/_user/phone-code', {
      openid: 'oPhone',
      phone: '13800138001',
    });
    const stale = await emu.post<{ code: string }>('/_user/phone-code', {
      openid: 'oPhone',
      phone: '13800138002',
    });
    await emu.hub.clock.advance(4 * 60_000 + 59_000);
    expect((await probe('oPhone', 'phonenumber.getPhoneNumber', { code: fresh.body.code })).ok).toBe(true);
    await emu.hub.clock.advance(2_000);
    expect(await probe('oPhone', 'phonenumber.getPhoneNumber', { code: stale.body.code })).toMatchObject({
      ok: false,
      errCode: 40029,
    });
    expect((await emu.post('/_user/phone-code', { openid: 'oPhone', phone: '12345' })).status).toBe(400);
  });

  test('OCR recognises registered ID-card images only; risk rank follows the openid', async () => {
    const card = {
      name: '张三',
      id: '11010519491231002X',
      addr: '北京市朝阳区',
      gender: '男',
      nationality: '汉',
    };
    const image = await emu.post<{ imgUrl: string; imageBase64: string }>('/_user/ocr-image', card);
    const byBytes = await probe(
      'oOcr',
      'ocr.idcard',
      { type: 'photo' },
      { imageBase64: image.body.imageBase64 },
    );
    expect(byBytes).toMatchObject({ result: { type: 'Front', ...card } });
    const byUrl = await probe('oOcr', 'ocr.idcard', { type: 'photo', imgUrl: image.body.imgUrl });
    expect(byUrl.result).toMatchObject({ id: card.id });
    const back = await emu.post<{ imgUrl: string }>('/_user/ocr-image', {
      side: 'Back',
      validDate: '20070105-20270105',
    });
    expect((await probe('oOcr', 'ocr.idcard', { imgUrl: back.body.imgUrl })).result).toMatchObject({
      type: 'Back',
      validDate: '20070105-20270105',
    });
    const unknown = await probe(
      'oOcr',
      'ocr.idcard',
      {},
      { imageBase64: Buffer.from('not a card').toString('base64') },
    );
    expect(unknown).toMatchObject({ ok: false, errCode: 101001 });

    const risky = await probe('oOcr', 'riskControl.getUserRiskRank', {
      appid: 'wx0000000000000001',
      openid: 'oBorrower_risk3',
      scene: 0,
      clientIp: '203.0.113.7',
    });
    expect(risky.result).toMatchObject({ riskRank: 3 });
    const plain = await probe('oOcr', 'riskControl.getUserRiskRank', {
      openid: 'oBorrower',
      scene: 0,
      clientIp: '1.2.3.4',
    });
    expect(plain.result).toMatchObject({ riskRank: 0 });
  });

  test('msgSecCheck v2 verdicts, SMS limits and the face-verification result', async () => {
    const risky = await probe('oSec', 'security.msgSecCheck', {
      content: 'x #risky# y',
      version: 2,
      scene: 2,
      openid: 'oSec',
    });
    expect(risky.result?.result).toEqual({ suggest: 'risky', label: 20006 });
    const unseen = await probe('oSec', 'security.msgSecCheck', {
      content: 'hi',
      version: 2,
      scene: 2,
      openid: 'oNever',
    });
    expect(unseen).toMatchObject({ ok: false, errCode: 61010 });

    const numbers = Array.from({ length: 1001 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
    const tooMany = await probe('oSec', 'cloudbase.sendSms', {
      env: 'e',
      phoneNumberList: numbers,
      content: '状态更新',
      path: '/i',
    });
    expect(tooMany).toMatchObject({ ok: false, errCode: -501007 });
    const tooLong = await probe('oSec', 'cloudbase.sendSms', {
      env: 'e',
      phoneNumberList: ['+8613800138000'],
      content: '一'.repeat(31),
      path: '/index.html',
    });
    expect(tooLong).toMatchObject({ ok: false, errCode: -501007 });
    const sent = await probe('oSec', 'cloudbase.sendSms', {
      env: 'e',
      phoneNumberList: ['+8613800138000', '+8613800138001'],
      content: '您的申请状态已更新，请打开小程序查看',
      path: '/index.html',
    });
    expect(sent.result?.sendStatusList).toHaveLength(2);
  });
});
