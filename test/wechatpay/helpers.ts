import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import {
  WechatPayTransferClient,
  verifyTransferNotification,
  wechatPayConfigFromEnv,
  type CreateTransferInput,
  type WechatPayConfig,
} from '../../server/wechatpay';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

/** A started emulator plus the sandbox and a merchant client configured from the sandbox's WECHATPAY_* env. */
export interface WechatPayHarness {
  emu: TestEmulator;
  sandbox: WechatPaySandbox;
  config: WechatPayConfig;
  client: WechatPayTransferClient;
  /** A client with a short timeout, for timeout faults. */
  impatientClient: WechatPayTransferClient;
  now(): number;
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator and wires a merchant client to its sandbox. */
export async function startWechatPayHarness(): Promise<WechatPayHarness> {
  const emu = await startTestEmulator();
  const sandbox = emu.hub.service<WechatPaySandbox>('wechatpay');
  const config = wechatPayConfigFromEnv(sandbox.functionEnv());
  const clock = { now: () => emu.hub.clock.now() };
  return {
    emu,
    sandbox,
    config,
    client: new WechatPayTransferClient(config, { clock }),
    impatientClient: new WechatPayTransferClient({ ...config, timeoutMs: 300 }, { clock }),
    now: () => emu.hub.clock.now(),
    advance: async (ms) => {
      await emu.hub.clock.advance(ms);
    },
    stop: () => emu.stop(),
  };
}

let billCounter = 0;

/** A valid create input with a fresh out_bill_no. */
export function transferInput(
  harness: WechatPayHarness,
  overrides: Partial<CreateTransferInput> = {},
): CreateTransferInput {
  billCounter += 1;
  return {
    outBillNo: `T${Date.now().toString(36)}${billCounter}`.toUpperCase(),
    transferSceneId: harness.config.transferSceneId ?? '1005',
    openid: 'o-borrower-0001',
    transferAmount: 50_000,
    transferRemark: '贷款放款',
    transferSceneReportInfos: [
      { info_type: '岗位类型', info_content: '借款' },
      { info_type: '报酬说明', info_content: '个人消费贷款放款' },
    ],
    ...overrides,
  };
}

/** The borrower's client acting on a package (`wx.requestMerchantTransfer`). */
export async function userAction(
  harness: WechatPayHarness,
  input: { package: string; openId: string; action: 'confirm' | 'close' },
): Promise<{ status: number; body: { errMsg: string; code?: string } }> {
  const response = await fetch(`${harness.emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mchId: harness.config.mchId, appId: harness.config.appId, ...input }),
  });
  return { status: response.status, body: (await response.json()) as { errMsg: string; code?: string } };
}

/** One request a receiver got. */
export interface ReceivedNotification {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A small local HTTP server standing in for our notification endpoint. */
export interface NotificationReceiver {
  url: string;
  received: ReceivedNotification[];
  /** Decides the status code for each request (default: verify with the library, 200 or 401). */
  respond: (request: ReceivedNotification) => number;
  close(): Promise<void>;
}

/** Starts a receiver that, by default, verifies each notification through the library. */
export async function startReceiver(harness: WechatPayHarness): Promise<NotificationReceiver> {
  const receiver: NotificationReceiver = {
    url: '',
    received: [],
    respond: (request) => {
      try {
        verifyTransferNotification({
          headers: request.headers,
          body: request.body,
          keyring: harness.client.keyring,
          apiV3Key: harness.config.apiV3Key,
          nowMs: harness.now(),
        });
        return 200;
      } catch {
        return 401;
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = { headers: request.headers, body: Buffer.concat(chunks) };
      receiver.received.push(received);
      const status = receiver.respond(received);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? '' : JSON.stringify({ code: 'FAIL', message: 'rejected' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechatpay/transfer-notify`;
  return receiver;
}

/** Creates a bill and moves the clock until the user can confirm it; returns its package_info. */
export async function createWaitingBill(
  harness: WechatPayHarness,
  overrides: Partial<CreateTransferInput> = {},
): Promise<{ input: CreateTransferInput; packageInfo: string }> {
  const input = transferInput(harness, overrides);
  const created = await harness.client.createTransferBill(input);
  await harness.advance(2_000);
  if (!created.package_info) throw new Error('create answered no package_info');
  return { input, packageInfo: created.package_info };
}
