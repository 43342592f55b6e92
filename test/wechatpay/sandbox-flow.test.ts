import {
  WechatPayError,
  WechatPayTransferClient,
  verifyTransferNotification,
  type TransferBill,
} from '../../server/wechatpay';
import {
  createWaitingBill,
  startReceiver,
  startWechatPayHarness,
  transferInput,
  userAction,
  type NotificationReceiver,
  type WechatPayHarness,
} from './helpers';

async function apiErrorOf(promise: Promise<unknown>): Promise<WechatPayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WechatPayError) return error;
    throw error;
  }
  throw new Error('expected a WechatPayError');
}

describe('WeChat Pay merchant transfer sandbox: the full flow', () => {
  let h: WechatPayHarness;
  let receiver: NotificationReceiver;

  beforeAll(async () => {
    h = await startWechatPayHarness();
    receiver = await startReceiver(h);
  });
  afterAll(async () => {
    await receiver.close();
    await h.stop();
  });
  beforeEach(async () => {
    h.emu.hub.clock.thaw();
    await h.sandbox.reset();
    receiver.received.length = 0;
  });

  test('create → user confirms → SUCCESS, with a signed, encrypted notification that verifies', async () => {
    const input = transferInput(h, { notifyUrl: receiver.url, transferAmount: 250_000, userName: '张三' });
    const created = await h.client.createTransferBill(input);
    expect(created.state).toBe('ACCEPTED');
    expect(created.package_info).toBeTruthy();

    await h.advance(1_000);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('PROCESSING');
    await h.advance(1_000);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('WAIT_USER_CONFIRM');

    const confirmed = await userAction(h, {
      package: created.package_info ?? '',
      openId: input.openid,
      action: 'confirm',
    });
    expect(confirmed).toEqual({ status: 200, body: { errMsg: 'requestMerchantTransfer:ok' } });
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('TRANSFERING');

    await h.advance(2_000);
    const bill = (await h.client.queryTransferBill(input.outBillNo)) as TransferBill;
    expect(bill).toMatchObject({
      state: 'SUCCESS',
      transfer_amount: 250_000,
      openid: input.openid,
      mch_id: h.config.mchId,
    });
    expect(bill.user_name).toBeTruthy();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const notice = verifyTransferNotification({
      headers: delivery?.headers ?? {},
      body: delivery?.body ?? Buffer.alloc(0),
      keyring: h.client.keyring,
      apiV3Key: h.config.apiV3Key,
      nowMs: h.now(),
    });
    expect(notice.envelope).toMatchObject({
      event_type: 'MCHTRANSFER.BILL.FINISHED',
      resource_type: 'encrypt-resource',
    });
    expect(notice.envelope.resource).toMatchObject({
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'mch_payment',
      original_type: 'mch_payment',
    });
    expect(notice.bill).toMatchObject({
      out_bill_no: input.outBillNo,
      transfer_bill_no: created.transfer_bill_no,
      state: 'SUCCESS',
      mch_id: h.config.mchId,
      transfer_amount: 250_000,
      openid: input.openid,
    });
    expect(notice.serial).toBe(h.config.encryptionKeySerial);
    const listing = h.sandbox.listBills().find((entry) => entry.bill.outBillNo === input.outBillNo);
    expect(listing?.notifications[0]?.status).toBe('delivered');
    expect(listing?.history.filter((e) => e.kind === 'state').map((e) => e.detail.to)).toEqual([
      'ACCEPTED',
      'PROCESSING',
      'WAIT_USER_CONFIRM',
      'TRANSFERING',
      'SUCCESS',
    ]);
  });

  test('answers and notifications can be signed with the platform certificate key instead', async () => {
    h.sandbox.setSigningKind('platform_cert');
    const platformSerial = h.sandbox.merchantConfig().platformCertSerial;
    let answerSerial: string | null = null;
    const recording: typeof fetch = async (url, init) => {
      const response = await fetch(url, init);
      answerSerial = response.headers.get('wechatpay-serial');
      return response;
    };
    const client = new WechatPayTransferClient(h.config, { clock: { now: () => h.now() }, fetch: recording });
    const input = transferInput(h, { notifyUrl: receiver.url });
    const created = await client.createTransferBill(input);
    expect(answerSerial).toBe(platformSerial);
    await h.advance(2_000);
    await userAction(h, { package: created.package_info ?? '', openId: input.openid, action: 'confirm' });
    await h.advance(2_000);
    const [delivery] = receiver.received;
    const notice = verifyTransferNotification({
      headers: delivery?.headers ?? {},
      body: delivery?.body ?? Buffer.alloc(0),
      keyring: h.client.keyring,
      apiV3Key: h.config.apiV3Key,
      nowMs: h.now(),
    });
    expect(notice.serial).toBe(platformSerial);
  });

  test('a tampered request signature is rejected with 401 SIGN_ERROR and changes nothing', async () => {
    const tampering: typeof fetch = (url, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      headers.Authorization = (headers.Authorization ?? '').replace(
        /signature="(.)/,
        (_match, first: string) => `signature="${first === 'A' ? 'B' : 'A'}`,
      );
      return fetch(url, { ...init, headers });
    };
    const client = new WechatPayTransferClient(h.config, { clock: { now: () => h.now() }, fetch: tampering });
    const error = await apiErrorOf(client.createTransferBill(transferInput(h)));
    expect(error.details).toEqual({ httpStatus: 401, apiCode: 'SIGN_ERROR' });
    expect(h.sandbox.listBills()).toHaveLength(0);
  });

  test('request timestamps 299 s off are accepted, 301 s off rejected with 401 SIGN_ERROR, both directions', async () => {
    // On a frozen emulator clock: no real second may pass between signing and checking.
    h.emu.hub.clock.freeze();
    const statuses: Array<[number, number, string]> = [];
    for (const skewSeconds of [-301, -299, 299, 301]) {
      let seen: [number, string] = [0, ''];
      const recording: typeof fetch = async (url, init) => {
        const response = await fetch(url, init);
        const text = await response.clone().text();
        seen = [response.status, text ? (JSON.parse(text) as { code: string }).code : ''];
        return response;
      };
      const skewed = new WechatPayTransferClient(h.config, {
        clock: { now: () => h.now() + skewSeconds * 1000 },
        fetch: recording,
      });
      // The skewed client then also refuses the sandbox's (correctly timed) answer; only the status matters here.
      await skewed.queryTransferBill('NOSUCHBILL').catch(() => undefined);
      statuses.push([skewSeconds, ...seen]);
    }
    expect(statuses).toEqual([
      [-301, 401, 'SIGN_ERROR'],
      [-299, 404, 'NOT_FOUND'],
      [299, 404, 'NOT_FOUND'],
      [301, 401, 'SIGN_ERROR'],
    ]);
  });

  test('package_info is single-use and bound to the payee openid', async () => {
    const { input, packageInfo } = await createWaitingBill(h);
    const stranger = await userAction(h, {
      package: packageInfo,
      openId: 'o-someone-else',
      action: 'confirm',
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('OPENID_MISMATCH');
    const closed = await userAction(h, { package: packageInfo, openId: input.openid, action: 'close' });
    expect(closed.body.errMsg).toBe('requestMerchantTransfer:fail cancel');
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('WAIT_USER_CONFIRM');
    expect(
      (await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' })).status,
    ).toBe(200);
    const reused = await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({
      code: 'PACKAGE_USED',
      errMsg: expect.stringContaining('requestMerchantTransfer:fail'),
    });
    const unknown = await userAction(h, {
      package: 'not-a-package',
      openId: input.openid,
      action: 'confirm',
    });
    expect(unknown.body.code).toBe('PACKAGE_INVALID');
  });

  test('an unconfirmed bill ends FAIL (OVERDUE_CLOSE) 24 h after creation, and is notified', async () => {
    const { input, packageInfo } = await createWaitingBill(h, { notifyUrl: receiver.url });
    // Margins of a minute: other services' timers run during a jump and real time keeps flowing.
    await h.advance(24 * 3_600_000 - 62_000);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('WAIT_USER_CONFIRM');
    await h.advance(60_000);
    const bill = await h.client.queryTransferBill(input.outBillNo);
    expect(bill).toMatchObject({ state: 'FAIL', fail_reason: 'OVERDUE_CLOSE' });
    const late = await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' });
    expect(late.body.code).toBe('BILL_CLOSED');
    expect(receiver.received).toHaveLength(1);
  });

  test('same out_bill_no: same parameters answer the existing bill, different ones are rejected', async () => {
    const input = transferInput(h, { transferAmount: 300_000, userName: '李四' });
    const first = await h.client.createTransferBill(input);
    const again = await h.client.createTransferBill(input);
    expect(again.transfer_bill_no).toBe(first.transfer_bill_no);
    const changed = await apiErrorOf(h.client.createTransferBill({ ...input, transferAmount: 300_001 }));
    expect(changed.details).toEqual({ httpStatus: 400, apiCode: 'INVALID_REQUEST' });
    expect(changed.outcomeUnknown).toBe(false);
    const otherName = await apiErrorOf(h.client.createTransferBill({ ...input, userName: '王五' }));
    expect(otherName.details.apiCode).toBe('INVALID_REQUEST');
    expect(h.sandbox.listBills()).toHaveLength(1);
  });

  test('the documented create rules are enforced by the sandbox', async () => {
    const send = (body: Record<string, unknown>) =>
      h.client.signedRequest('POST', '/v3/fund-app/mch-transfer/transfer-bills', JSON.stringify(body));
    const base = {
      appid: h.config.appId,
      out_bill_no: 'RULES1',
      transfer_scene_id: h.config.transferSceneId,
      openid: 'o-borrower-0001',
      transfer_amount: 1_000,
      transfer_remark: '放款',
      transfer_scene_report_infos: [
        { info_type: '岗位类型', info_content: '借款' },
        { info_type: '报酬说明', info_content: '贷款' },
      ],
    };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...base, appid: 'wx-other' }, 400, 'PARAM_ERROR'],
      [{ ...base, out_bill_no: 'has-dash' }, 400, 'PARAM_ERROR'],
      [{ ...base, out_bill_no: 'A'.repeat(33) }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_amount: 9 }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_amount: 10.5 }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_amount: 200_000 }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_amount: 200_000, user_name: 'not-rsa' }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_remark: '备'.repeat(33) }, 400, 'PARAM_ERROR'],
      [{ ...base, notify_url: 'https://example.com/n?x=1' }, 400, 'PARAM_ERROR'],
      [{ ...base, notify_url: 'http://example.com/n' }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_scene_report_infos: [] }, 400, 'PARAM_ERROR'],
      [{ ...base, transfer_scene_id: '9999' }, 403, 'NO_AUTH'],
      // WeChat fixes the info_types per scene and the perceptions it allows (shared/transfer-scenes.ts).
      [
        { ...base, transfer_scene_report_infos: [{ info_type: '借款用途', info_content: '消费' }] },
        400,
        'PARAM_ERROR',
      ],
      [
        {
          ...base,
          transfer_scene_report_infos: [
            { info_type: '活动名称', info_content: '新客' },
            { info_type: '奖励说明', info_content: '红包' },
          ],
        },
        400,
        'PARAM_ERROR',
      ],
      [{ ...base, user_recv_perception: '活动奖励' }, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await send(body);
      expect({ status: answer.status, code: (answer.body as { code: string }).code }).toEqual({
        status,
        code,
      });
    }
    const ok = await send({ ...base, transfer_amount: 10 });
    expect(ok.status).toBe(200);
    const wrongPair = await send({ ...base, out_bill_no: 'RULES2', user_recv_perception: '现金奖励' });
    expect(wrongPair.body).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(
        /^暂不支持展示当前传入的用户收款感知 .*allows user_recv_perception 劳务报酬 \/ 报酬/,
      ),
    });
    const marketing = await send({
      ...base,
      out_bill_no: 'RULES3',
      transfer_scene_id: '1000',
      user_recv_perception: '活动奖励',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: '新客' },
        { info_type: '奖励说明', info_content: '红包' },
      ],
    });
    expect(marketing.status).toBe(200);
    const paid = await send({ ...base, out_bill_no: 'RULES4', user_recv_perception: '劳务报酬' });
    expect(paid.status).toBe(200);
  });

  test('cancel before confirmation: CANCELING then CANCELLED; refused after confirmation', async () => {
    const { input, packageInfo } = await createWaitingBill(h, { notifyUrl: receiver.url });
    const cancelled = await h.client.cancelTransferBill(input.outBillNo);
    expect(cancelled.state).toBe('CANCELING');
    expect(
      (await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' })).body.code,
    ).toBe('BILL_CLOSED');
    await h.advance(1_000);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('CANCELLED');
    expect((await h.client.cancelTransferBill(input.outBillNo)).state).toBe('CANCELLED');
    expect(receiver.received).toHaveLength(1);

    const second = await createWaitingBill(h);
    await userAction(h, { package: second.packageInfo, openId: second.input.openid, action: 'confirm' });
    const refused = await apiErrorOf(h.client.cancelTransferBill(second.input.outBillNo));
    expect(refused.details).toEqual({ httpStatus: 400, apiCode: 'INVALID_REQUEST' });
    expect(await h.client.queryTransferBill('NEVERCREATED')).toBeNull();
  });

  test('queries reach back 30 days only', async () => {
    const input = transferInput(h);
    await h.client.createTransferBill(input);
    await h.advance(30 * 86_400_000 + 1_000);
    expect(await h.client.queryTransferBill(input.outBillNo)).toBeNull();
  });

  test('a settle_fail fault ends a confirmed bill FAIL with the scripted reason', async () => {
    h.sandbox.addFault({ target: 'settle_fail', failReason: 'ACCOUNT_FROZEN' });
    const { input, packageInfo } = await createWaitingBill(h);
    await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' });
    await h.advance(2_000);
    expect(await h.client.queryTransferBill(input.outBillNo)).toMatchObject({
      state: 'FAIL',
      fail_reason: 'ACCOUNT_FROZEN',
    });
  });

  test('the merchant config is handed to functions as WECHATPAY_* variables', () => {
    const env = h.sandbox.functionEnv();
    expect(env.WECHATPAY_BASE_URL).toBe(h.emu.baseUrl);
    expect(env.WECHATPAY_PUBLIC_KEY_ID).toMatch(/^PUB_KEY_ID_/);
    expect(env.WECHATPAY_PLATFORM_CERT_SERIAL).toMatch(/^[0-9A-F]{40}$/);
    expect(Buffer.byteLength(env.WECHATPAY_APIV3_KEY ?? '')).toBe(32);
  });
});
