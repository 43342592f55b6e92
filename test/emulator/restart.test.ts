import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cloud from 'wx-server-sdk';
import type { PayCallback } from '../../emulator/src/cloudpay/notifier';
import type { CloudPayService } from '../../emulator/src/cloudpay/service';
import type { FunctionsApi } from '../../emulator/src/functions/api';
import type { OpenapiService } from '../../emulator/src/openapi/service';
import type { EmulatorService } from '../../emulator/src/service';
import { clientFileCall, clientUpload } from '../../emulator/src/storage/client';
import type { StorageService } from '../../emulator/src/storage/service';
import { startTestEmulator, useEmulatorEnv, type TestEmulator } from '../helpers/emulator';

/**
 * Storage, openapi and cloudPay state survive a backend restart on the same data folder, as the
 * database does: files with their creators and permissions, subscribe grants, phone codes, registered
 * ID-card images and the outbox, orders, refunds and pending callbacks (which resume on schedule).
 */

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'cloudfunctions');
const subMchId = '1900000109';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-restart-'));
const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-restart-fx-'));
for (const name of ['extOpenapiProbe', 'extPayCheckout', 'extPayCallback'])
  fs.cpSync(path.join(FIXTURES, name), path.join(functionsDir, name), { recursive: true });

const sdk = cloud as unknown as {
  uploadFile(o: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  getTempFileURL(o: { fileList: unknown[] }): Promise<{ fileList: Array<{ tempFileURL: string }> }>;
  downloadFile(o: { fileID: string }): Promise<{ fileContent: Buffer }>;
};

let emu: TestEmulator | undefined;

/** Starts the backend on the shared data and functions folders, with this process's SDK pointed at it. */
async function boot(): Promise<TestEmulator> {
  emu = await startTestEmulator({ dataDir, functionsDir });
  useEmulatorEnv(emu);
  cloud.init({ env: emu.hub.config.envId });
  return emu;
}

/** Invokes a fixture as a mini-program user and answers what it returned. */
async function invoke(
  on: TestEmulator,
  name: string,
  openid: string,
  event: unknown,
): Promise<Record<string, unknown>> {
  const functions = on.hub.service<EmulatorService & FunctionsApi>('functions');
  const run = await functions.invoke({ name, event, source: 'wx_client', openid });
  expect(run.error).toBeUndefined();
  return run.result as Record<string, unknown>;
}

async function post<T>(on: TestEmulator, route: string, body: unknown): Promise<T> {
  const response = await fetch(`${on.baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as T;
}

function callbacks(on: TestEmulator, outTradeNo: string, kind: PayCallback['kind']): PayCallback[] {
  return on.hub
    .service<CloudPayService>('cloudpay')
    .callbacks()
    .filter((c) => c.outTradeNo === outTradeNo && c.kind === kind);
}

function order(on: TestEmulator, outTradeNo: string, ackAfter: number): Record<string, unknown> {
  return {
    body: 'wxlend-还款',
    outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId,
    totalFee: 800,
    envId: on.hub.config.envId,
    functionName: 'extPayCallback',
    nonceStr: 'n0nce',
    attach: JSON.stringify({ ackAfter }),
  };
}

afterAll(async () => {
  await emu?.stop();
  fs.rmSync(functionsDir, { recursive: true, force: true });
});

test('storage, openapi and cloudPay state survive a restart on the same data folder', async () => {
  // --- before: the first backend -------------------------------------------------------------
  const first = await boot();
  const report = Buffer.from('durable report');
  const { fileID: reportId } = await sdk.uploadFile({ cloudPath: 'reports/r.txt', fileContent: report });
  const [link] = (await sdk.getTempFileURL({ fileList: [{ fileID: reportId, maxAge: 3600 }] })).fileList;
  const photo = await clientUpload(
    first.baseUrl,
    'oAlice',
    'id-card-photos/dir-a/front.jpg',
    Buffer.from('p'),
  );
  const photoId = photo.body.fileID ?? '';

  await post(first, '/_user/subscribe', { openid: 'oQuota', tmplIds: ['TPL_A'], accepted: ['TPL_A'] });
  const { code } = await post<{ code: string }>(first, '/_user/phone-code', {
    openid: 'oPhone',
    phone: '13800001111',
  });
  const card = { side: 'Front', name: '李明', id: '110101199003071233' };
  const image = await post<{ imageBase64: string; imgUrl: string }>(first, '/_user/ocr-image', card);
  await invoke(first, 'extOpenapiProbe', 'oRisk', {
    api: 'riskControl.getUserRiskRank',
    params: { appid: first.hub.config.appId, openid: 'oRisk', scene: 0, clientIp: '10.0.0.1' },
  });
  const outboxBefore = first.hub.service<OpenapiService>('openapi').outbox();
  expect(outboxBefore.length).toBeGreaterThan(0);

  // R1's callback is refused until a minute from now: it is pending (one attempt) at the restart.
  const ackAfter = first.hub.clock.now() + 60_000;
  for (const [no, ack] of [
    ['RESTART01', ackAfter],
    ['RESTART02', 0],
  ] as const) {
    await invoke(first, 'extPayCheckout', 'oPayer', {
      method: 'unifiedOrder',
      params: order(first, no, ack),
    });
    const prepay = first.hub
      .service<CloudPayService>('cloudpay')
      .orders()
      .find((o) => o.outTradeNo === no);
    await post(first, '/_user/pay', { openid: 'oPayer', prepayId: prepay?.prepayId });
    await first.hub.scheduler.drain();
  }
  expect(callbacks(first, 'RESTART01', 'payment')[0]).toMatchObject({ status: 'pending', attempts: [{}] });
  const refunded = await invoke(first, 'extPayCheckout', 'oPayer', {
    method: 'refund',
    params: {
      subMchId,
      outTradeNo: 'RESTART02',
      outRefundNo: 'RFRESTART02',
      totalFee: 800,
      refundFee: 300,
      envId: first.hub.config.envId,
      functionName: 'extPayCallback',
      nonceStr: 'x',
    },
  });
  expect(refunded).toMatchObject({ ok: true, result: { resultCode: 'SUCCESS' } });
  const paidBefore = first.hub.service<CloudPayService>('cloudpay').orders();
  const oldBase = first.baseUrl;
  await first.stop({ keepData: true });

  // --- after: a new backend process on the same data folder -----------------------------------
  const second = await boot();
  expect(Buffer.from((await sdk.downloadFile({ fileID: reportId })).fileContent)).toEqual(report);
  const reopened = await fetch(encodeURI((link?.tempFileURL ?? '').replace(oldBase, second.baseUrl)));
  expect(Buffer.from(await reopened.arrayBuffer())).toEqual(report);
  type Entries = { fileList: Array<{ status: number }> };
  expect(
    (await clientFileCall<Entries>(second.baseUrl, 'oMallory', 'getTempFileURL', [photoId])).body.fileList[0]
      ?.status,
  ).toBe(-503002);
  expect(
    (await clientFileCall<Entries>(second.baseUrl, 'oAlice', 'getTempFileURL', [photoId])).body.fileList[0]
      ?.status,
  ).toBe(0);
  expect(second.hub.service<StorageService>('storage').bucket.files()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ fileId: photoId, ownerOpenid: 'oAlice', permission: 'PRIVATE' }),
    ]),
  );

  const send = {
    touser: 'oQuota',
    templateId: 'TPL_A',
    page: 'pages/home/index',
    data: { thing1: { value: '借款申请已通过' } },
  };
  expect(
    await invoke(second, 'extOpenapiProbe', 'oQuota', { api: 'subscribeMessage.send', params: send }),
  ).toMatchObject({ ok: true });
  expect(
    await invoke(second, 'extOpenapiProbe', 'oQuota', { api: 'subscribeMessage.send', params: send }),
  ).toMatchObject({
    ok: false,
    errCode: 43101,
  });
  expect(
    await invoke(second, 'extOpenapiProbe', 'oPhone', {
      api: 'phonenumber.getPhoneNumber',
      params: { code },
    }),
  ).toMatchObject({
    ok: true,
    result: { phoneInfo: { purePhoneNumber: '13800001111' } },
  });
  expect(
    await invoke(second, 'extOpenapiProbe', 'oOcr', {
      api: 'ocr.idcard',
      params: { type: 'photo' },
      imageBase64: image.imageBase64,
    }),
  ).toMatchObject({ ok: true, result: { type: 'Front', id: card.id } });
  const outboxAfter = second.hub.service<OpenapiService>('openapi').outbox();
  expect(outboxAfter.slice(0, outboxBefore.length)).toEqual(outboxBefore);
  // Numbering continues: four calls and one delivered message after the restart, no seq reused.
  expect(outboxAfter.map((e) => e.seq)).toEqual(outboxAfter.map((_, i) => i + 1));
  expect(outboxAfter).toHaveLength(outboxBefore.length + 5);

  expect(second.hub.service<CloudPayService>('cloudpay').orders()).toEqual(paidBefore);
  const queried = await invoke(second, 'extPayCheckout', 'oPayer', {
    method: 'queryOrder',
    params: { subMchId, outTradeNo: 'RESTART01', nonceStr: 'x' },
  });
  expect(queried).toMatchObject({
    result: { tradeState: 'SUCCESS', transactionId: paidBefore[0]?.transactionId },
  });
  // The pending callback and the processing refund resume on their schedules.
  await second.hub.clock.advance(61_000);
  expect(callbacks(second, 'RESTART01', 'payment')[0]).toMatchObject({ status: 'delivered' });
  expect(callbacks(second, 'RESTART01', 'payment')[0]?.attempts.length).toBeGreaterThanOrEqual(2);
  expect(callbacks(second, 'RESTART02', 'refund')[0]).toMatchObject({
    status: 'delivered',
    event: { refundStatus: 'SUCCESS' },
  });

  // Reset still drops all of it, and nothing comes back on the next start.
  await second.reset();
  await second.stop({ keepData: true });
  const third = await boot();
  expect(third.hub.service<StorageService>('storage').info()).toMatchObject({ files: 0 });
  expect(third.hub.service<OpenapiService>('openapi').outbox()).toEqual([]);
  expect(third.hub.service<CloudPayService>('cloudpay').orders()).toEqual([]);
  expect(third.hub.service<CloudPayService>('cloudpay').callbacks()).toEqual([]);
}, 120_000);
