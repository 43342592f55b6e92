import cloud from 'wx-server-sdk';
import { callFunctionAsClient, type FunctionsService } from '../../../emulator/src/functions';
import { useEmulatorEnv, type TestEmulator } from '../../helpers/emulator';
import { startFunctionsEmulator, type EchoResult } from './helpers';

/** What the caller fixture answers. */
interface CallerResult {
  own: Record<string, unknown>;
  callee?: EchoResult;
  calleeError?: { errCode: number; errMsg: string };
}

describe('cloud.callFunction between functions', () => {
  let emu: TestEmulator;
  let functions: FunctionsService;
  beforeAll(async () => {
    ({ emu, functions } = await startFunctionsEmulator());
    useEmulatorEnv(emu);
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('the callee inherits the user and SOURCE becomes wx_client,scf', async () => {
    const outcome = await callFunctionAsClient(emu.baseUrl, {
      name: 'caller',
      openid: 'chain-user',
      data: { data: { step: 1 } },
    });
    expect(outcome.ok).toBe(true);
    const result = (outcome.ok ? outcome.result : undefined) as CallerResult;
    expect(result.own).toMatchObject({ OPENID: 'chain-user', SOURCE: 'wx_client' });
    expect(result.callee?.wxContext).toEqual({
      OPENID: 'chain-user',
      APPID: emu.hub.config.appId,
      ENV: 'wxlend-local',
      SOURCE: 'wx_client,scf',
    });
    // A callee gets exactly the data sent; userInfo is added only for mini-program calls.
    expect(result.callee?.event).toEqual({ step: 1 });
    const [calleeRecord] = functions.invocations({ name: 'echoContext', limit: 1 });
    const [callerRecord] = functions.invocations({ name: 'caller', limit: 1 });
    expect(calleeRecord?.parentRequestId).toBe(callerRecord?.requestId);
    expect(calleeRecord?.source).toBe('wx_client,scf');
  });

  test('a call from a plain script (no invocation token) runs as scf with no user', async () => {
    const response = await cloud.callFunction({ name: 'echoContext', data: { from: 'script' } });
    const echo = (response ? response.result : undefined) as EchoResult;
    expect(echo.wxContext).toEqual({ ENV: 'wxlend-local', SOURCE: 'scf' });
    expect(echo.event).toEqual({ from: 'script' });
  });

  test('errors of the callee reach the caller as callFunction:fail', async () => {
    const missing = await functions.invoke({
      name: 'caller',
      event: { target: 'noSuchFunction' },
      source: 'wx_client',
      openid: 'chain-user',
    });
    const missingError = (missing.result as CallerResult).calleeError;
    expect(missingError?.errCode).toBe(-1);
    expect(missingError?.errMsg).toMatch(/callFunction:fail .*FunctionName parameter could not be found/);
    const slow = await functions.invoke({ name: 'caller', event: { target: 'sleepy' }, source: 'scf' });
    expect((slow.result as CallerResult).calleeError?.errMsg).toMatch(
      /callFunction:fail .*Invoking task timed out after 1 seconds/,
    );
    const thrown = await functions.invoke({
      name: 'caller',
      event: { target: 'faulty', data: { mode: 'throw' } },
      source: 'scf',
    });
    expect((thrown.result as CallerResult).calleeError?.errMsg).toMatch(
      /callFunction:fail .*Error: boom from faulty/,
    );
  });

  test('the admin action validates its parameters', async () => {
    const post = async (body: Record<string, unknown>): Promise<{ code?: string; message?: string }> => {
      const response = await fetch(`${emu.baseUrl}/admin?env=wxlend-local&seqId=t`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'functions.invokeFunction', ...body }),
      });
      return (await response.json()) as { code?: string; message?: string };
    };
    expect(await post({})).toMatchObject({ code: 'INVALID_PARAM', message: 'function_name is required' });
    expect(await post({ function_name: 'echoContext', request_data: '{oops' })).toMatchObject({
      code: 'INVALID_PARAM',
      message: 'request_data is not valid JSON',
    });
    expect(await post({ function_name: 'ghost', request_data: '{}' })).toMatchObject({
      code: 'FUNCTION_NOT_FOUND',
    });
  });
});
