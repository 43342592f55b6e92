import {
  callFunctionAsClient,
  type FunctionsService,
  type InvocationRecord,
} from '../../../emulator/src/functions';
import type { TestEmulator } from '../../helpers/emulator';
import { startFunctionsEmulator } from './helpers';

describe('timeouts, throwing functions and logs', () => {
  let emu: TestEmulator;
  let functions: FunctionsService;
  beforeAll(async () => {
    ({ emu, functions } = await startFunctionsEmulator());
  });
  afterAll(async () => {
    await emu.stop();
  });

  const latest = (name: string): InvocationRecord | undefined => functions.invocations({ name, limit: 1 })[0];

  test('a function sleeping past its 1 s timeout is cut off and reported', async () => {
    const outcome = await callFunctionAsClient(emu.baseUrl, {
      name: 'sleepy',
      openid: 'sleeper',
      data: { ms: 20_000 },
    });
    expect(outcome).toMatchObject({
      ok: false,
      status: 504,
      errCode: -504003,
      errMsg:
        'cloud.callFunction:fail Error: errCode: -504003 | errMsg: Invoking task timed out after 1 seconds',
    });
    const record = latest('sleepy');
    expect(record).toMatchObject({
      outcome: 'timeout',
      error: { code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED', message: 'Invoking task timed out after 1 seconds' },
    });
    expect(record?.logs.map((log) => log.message)).toEqual(['sleepy: going to sleep for 20000 ms']);
    // The instance was stopped, not left running in the background.
    expect(functions.poolStats().sleepy).toEqual({ idle: 0, busy: 0, starting: 0, queued: 0 });
    const quick = await callFunctionAsClient(emu.baseUrl, {
      name: 'sleepy',
      openid: 'sleeper',
      data: { ms: 10 },
    });
    expect(quick).toMatchObject({ ok: true, result: { slept: 10 } });
    expect(latest('sleepy')?.coldStart).toBe(true);
  });

  test('a throwing function is reported like CloudBase and its instance keeps serving', async () => {
    const outcome = await callFunctionAsClient(emu.baseUrl, {
      name: 'faulty',
      openid: 'u',
      data: { mode: 'throw' },
    });
    expect(outcome).toMatchObject({
      ok: false,
      status: 502,
      errCode: -504002,
      errMsg:
        'cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: Error: boom from faulty',
    });
    const thrown = latest('faulty');
    expect(thrown?.outcome).toBe('error');
    expect(thrown?.logs.map((log) => [log.level, log.message.split('\n')[0]])).toEqual([
      ['log', 'faulty: log line'],
      ['info', 'faulty: info line'],
      ['warn', 'faulty: warn line'],
      ['error', 'faulty: error line'],
      ['error', 'Error: boom from faulty'],
    ]);
    // The stack comes with it, down to the line in the function's own (minified) bundle.
    expect(thrown?.logs[4]?.message).toMatch(/\n\s+at .*faulty\/index\.js:\d+:\d+/);
    for (const log of thrown?.logs ?? []) expect(typeof log.at).toBe('number');
    const fine = await callFunctionAsClient(emu.baseUrl, { name: 'faulty', openid: 'u' });
    expect(fine).toMatchObject({ ok: true, result: { fine: true } });
    expect(latest('faulty')?.workerId).toBe(thrown?.workerId);
  });

  test('rejections with non-errors, exits, oversized and empty answers', async () => {
    const call = (mode: string) => functions.invoke({ name: 'faulty', event: { mode }, source: 'scf' });
    expect((await call('reject-string')).error).toEqual({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'Error: plain string rejection',
    });
    const exited = await call('exit');
    expect(exited.error).toEqual({ code: 'FUNCTIONS_EXECUTE_FAIL', message: '3 code exit unexpected' });
    expect(exited.logs.map((log) => log.message)).toContain('faulty: log line');
    expect((await call('huge')).error).toEqual({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'The size of response exceeds the upper limit (6MB)',
    });
    const nothing = await call('nothing');
    expect(nothing.error).toBeUndefined();
    expect(nothing.result).toBeNull();
  });

  test('invocations are listed, newest first, on the loopback admin route', async () => {
    const response = await fetch(`${emu.baseUrl}/_admin/functions/invocations?name=faulty&limit=2`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { invocations: InvocationRecord[] };
    expect(body.invocations).toHaveLength(2);
    expect(body.invocations[0]?.startedAt).toBeGreaterThanOrEqual(body.invocations[1]?.startedAt ?? Infinity);
    expect(body.invocations.every((record) => record.name === 'faulty')).toBe(true);
    const bad = await fetch(`${emu.baseUrl}/_admin/functions/invocations?limit=zero`);
    expect(bad.status).toBe(400);
    const health = (await (await fetch(`${emu.baseUrl}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });

  test('reset forgets invocations and stops warm instances', async () => {
    await functions.invoke({ name: 'faulty', event: {}, source: 'scf' });
    expect(functions.poolStats().faulty?.idle).toBeGreaterThan(0);
    await emu.hub.reset();
    expect(functions.invocations()).toEqual([]);
    expect(functions.poolStats().faulty?.idle).toBe(0);
  });
});
