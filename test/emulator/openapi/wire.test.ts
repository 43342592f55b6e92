import cloud from 'wx-server-sdk';
import { decodeCommOpenApiResp, encodeCommApiData } from '../../../emulator/src/openapi/protobuf';
import { startTestEmulator, useEmulatorEnv, type TestEmulator } from '../../helpers/emulator';

/** POSTs a multipart `/admin` action the way the node-sdk does (binary fields as octet-stream parts). */
async function postMultipart(emu: TestEmulator, fields: Record<string, string | Buffer>): Promise<Response> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields))
    form.append(
      key,
      typeof value === 'string' ? value : new Blob([value], { type: 'application/octet-stream' }),
    );
  return fetch(`${emu.baseUrl}/admin?env=${emu.hub.config.envId}&seqId=1`, { method: 'POST', body: form });
}

describe('openapi and cloudPay wire format', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
    useEmulatorEnv(emu);
    cloud.init({ env: emu.hub.config.envId });
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('wx.openApi answers protobuf CommOpenApiResp under a non-JSON content type', async () => {
    const res = await postMultipart(emu, {
      action: 'wx.openApi',
      apiName: 'security.msgSecCheck',
      requestData: encodeCommApiData('wx0000000000000001', { content: 'hello' }),
    });
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const reply = decodeCommOpenApiResp(Buffer.from(await res.arrayBuffer()));
    // No invocation carries this request's token, so no function's permissions allow it.
    expect(reply.errorCode).toBe(-604101);
  });

  test('a cloud call made outside any cloud function is refused by the SDK with -604101', async () => {
    await expect(cloud.openapi.security.msgSecCheck({ content: 'hello' })).rejects.toMatchObject({
      errCode: -604101,
    });
  });

  test('wx.wxPayApi answers exactly `application/json` with snake_case v2 fields', async () => {
    const res = await postMultipart(emu, {
      action: 'wx.wxPayApi',
      apiName: 'queryOrder',
      requestData: Buffer.from(JSON.stringify({ sub_mch_id: '1900000109', out_trade_no: 'NONE0001' })),
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({
      return_code: 'SUCCESS',
      result_code: 'FAIL',
      err_code: 'ORDERNOTEXIST',
    });
  });

  test('cloudPay methods the emulator does not serve fail loudly', async () => {
    const pay = (cloud as unknown as { cloudPay: Record<string, (p: object) => Promise<unknown>> }).cloudPay;
    await expect(pay.downloadBill?.({ subMchId: '1900000109', billDate: '20260101' })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/not served by the local emulator/),
    });
  });
});
