import { callFunctionAsClient, type FunctionsService } from '../../../emulator/src/functions';
import type { TestEmulator } from '../../helpers/emulator';
import { startFunctionsEmulator, type EchoResult } from './helpers';

describe('client gateway and per-invocation identity', () => {
  let emu: TestEmulator;
  let functions: FunctionsService;
  beforeAll(async () => {
    ({ emu, functions } = await startFunctionsEmulator());
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('8 simultaneous users each see their own OPENID, before and after yielding', async () => {
    const openids = Array.from({ length: 8 }, (_, i) => `user-${i}-openid`);
    const outcomes = await Promise.all(
      openids.map((openid) =>
        callFunctionAsClient(emu.baseUrl, {
          name: 'echoContext',
          openid,
          data: { holdMs: 150, who: openid },
        }),
      ),
    );
    outcomes.forEach((outcome, i) => {
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const echo = outcome.result as EchoResult;
      for (const context of [echo.wxContext, echo.wxContextAfterHold]) {
        expect(context).toEqual({
          OPENID: openids[i],
          APPID: emu.hub.config.appId,
          ENV: 'wxlend-local',
          SOURCE: 'wx_client',
        });
      }
      expect(echo.event).toEqual({
        holdMs: 150,
        who: openids[i],
        userInfo: { appId: emu.hub.config.appId, openId: openids[i] },
      });
      expect(echo.context.request_id).toBe(outcome.requestID);
    });
    const records = functions.invocations({ name: 'echoContext', limit: 8 });
    expect(new Set(records.map((record) => record.openid))).toEqual(new Set(openids));
    // Overlapping calls cannot share an instance: more than one worker served them.
    expect(new Set(records.map((record) => record.workerId)).size).toBeGreaterThan(1);
  });

  test('a warm instance reused serially does not leak the previous user', async () => {
    const first = await callFunctionAsClient(emu.baseUrl, {
      name: 'echoContext',
      openid: 'leaky-user',
      unionid: 'leaky-union',
      clientIp: '10.1.2.3',
    });
    expect(first.ok && (first.result as EchoResult).wxContext).toEqual({
      OPENID: 'leaky-user',
      APPID: emu.hub.config.appId,
      UNIONID: 'leaky-union',
      CLIENTIP: '10.1.2.3',
      ENV: 'wxlend-local',
      SOURCE: 'wx_client',
    });
    const [firstRecord] = functions.invocations({ name: 'echoContext', limit: 1 });
    const second = await functions.invoke({ name: 'echoContext', event: {}, source: 'scf' });
    expect(second.error).toBeUndefined();
    const [secondRecord] = functions.invocations({ name: 'echoContext', limit: 1 });
    // The same warm instance served both, one after the other.
    expect(secondRecord?.coldStart).toBe(false);
    expect(secondRecord?.workerId).toBe(firstRecord?.workerId);
    expect((second.result as EchoResult).wxContext).toEqual({ ENV: 'wxlend-local', SOURCE: 'scf' });
  });

  test('functions get config envVariables, the emulator clock offset and their context', async () => {
    await emu.hub.clock.advance(3 * 86_400_000);
    const outcome = await callFunctionAsClient(emu.baseUrl, { name: 'echoContext', openid: 'clock-user' });
    emu.hub.clock.reset();
    expect(outcome.ok).toBe(true);
    const echo = (outcome.ok ? outcome.result : undefined) as EchoResult;
    expect(echo.greeting).toBe('hello from config');
    expect(echo.clockNow - echo.realNow).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(echo.context).toMatchObject({ function_name: 'echoContext', time_limit_in_ms: 3000 });
  });

  test('an unknown function is refused like CloudBase (-501000)', async () => {
    const outcome = await callFunctionAsClient(emu.baseUrl, { name: 'noSuchFunction', openid: 'u' });
    expect(outcome).toMatchObject({ ok: false, status: 404, errCode: -501000 });
    expect(!outcome.ok && outcome.errMsg).toMatch(
      /^cloud\.callFunction:fail .*FunctionName parameter could not be found \(function noSuchFunction\)/,
    );
  });

  test('bad requests get clear errors', async () => {
    const post = (headers: Record<string, string>, body: string): Promise<Response> =>
      fetch(`${emu.baseUrl}/client/callFunction`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const noOpenid = await post(json, JSON.stringify({ name: 'echoContext' }));
    expect(noOpenid.status).toBe(401);
    expect(await noOpenid.json()).toEqual({
      errCode: -401001,
      errMsg: 'cloud.callFunction:fail the x-wx-openid header is required',
    });
    const withUser = { ...json, 'x-wx-openid': 'u' };
    const badJson = await post(withUser, '{"name": ');
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { errMsg: string }).errMsg).toMatch(/not valid JSON/);
    const noName = await post(withUser, JSON.stringify({ data: {} }));
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { errMsg: string }).errMsg).toMatch(/name/);
    const arrayData = await post(withUser, JSON.stringify({ name: 'echoContext', data: [1, 2] }));
    expect(arrayData.status).toBe(400);
    expect(((await arrayData.json()) as { errMsg: string }).errMsg).toMatch(/data must be an object/);
    const badOpenid = await post(
      { ...json, 'x-wx-openid': 'has spaces' },
      JSON.stringify({ name: 'echoContext' }),
    );
    expect(badOpenid.status).toBe(400);
    const badIp = await post(
      { ...withUser, 'x-wx-clientip': 'not-an-ip' },
      JSON.stringify({ name: 'echoContext' }),
    );
    expect(((await badIp.json()) as { errMsg: string }).errMsg).toMatch(/x-wx-clientip/);
  });

  test('CORS lets DevTools call the gateway', async () => {
    const preflight = await fetch(`${emu.baseUrl}/client/callFunction`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:1234', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-wx-openid');
  });

  test('/health lists functions, instances and invocation counts', async () => {
    const health = (await (await fetch(`${emu.baseUrl}/health`)).json()) as {
      services: Array<{ name: string; functions?: string[]; instances?: Record<string, unknown> }>;
    };
    const entry = health.services.find((service) => service.name === 'functions');
    expect(entry?.functions).toEqual(
      expect.arrayContaining(['caller', 'dbUser', 'echoContext', 'faulty', 'sleepy']),
    );
    expect(entry?.instances?.echoContext).toMatchObject({ busy: 0 });
  });
});
