import path from 'node:path';
import type { FunctionsApi } from '../../emulator/src/functions/api';
import type { EmulatorService } from '../../emulator/src/service';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('WeChat Pay sandbox: configuration reaches cloud functions', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ functionsDir: path.join(__dirname, 'fixtures', 'cloudfunctions') });
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('a function signs a create with the contributed WECHATPAY_* and the sandbox accepts it', async () => {
    const functions = emu.hub.service<EmulatorService & FunctionsApi>('functions');
    const result = await functions.invoke({
      name: 'wechatpayTransfer',
      event: { outBillNo: 'FNENV0001', openid: 'o-borrower-fn' },
      source: 'wx_trigger',
    });
    expect(result.error).toBeUndefined();
    const sandbox = emu.hub.service<WechatPaySandbox>('wechatpay');
    expect(result.result).toEqual({
      mchId: sandbox.merchantConfig().mchId,
      state: 'ACCEPTED',
      hasPackage: true,
    });
    const listing = await fetch(`${emu.baseUrl}/_admin/wechatpay/bills`);
    const body = (await listing.json()) as { bills: Array<{ bill: { outBillNo: string; openid: string } }> };
    expect(body.bills.map((entry) => entry.bill.outBillNo)).toEqual(['FNENV0001']);
  });

  test('keys survive a restart on the same data folder', async () => {
    const before = emu.hub.service<WechatPaySandbox>('wechatpay').merchantConfig();
    await emu.stop({ keepData: true });
    emu = await startTestEmulator({ dataDir: emu.dataDir });
    const after = emu.hub.service<WechatPaySandbox>('wechatpay').merchantConfig();
    expect({ ...after, baseUrl: '' }).toEqual({ ...before, baseUrl: '' });
  });
});
