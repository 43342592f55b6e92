import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BundleCache } from '../../../emulator/src/functions/bundle-cache';
import { parseFunctionConfig } from '../../../emulator/src/functions/config-file';
import { invocationEnvironment } from '../../../emulator/src/functions/environment';
import { clientErrMsg } from '../../../emulator/src/functions/errors';
import { InvocationHistory, MAX_LOG_LINES } from '../../../emulator/src/functions/history';
import { addCallCost, noCost } from '../../../emulator/src/functions/invocation-cost';
import type { FunctionWorker } from '../../../emulator/src/functions/worker/function-worker';
import { WorkerPool, type WorkerLease } from '../../../emulator/src/functions/worker/pool';

describe('config.json', () => {
  test('defaults follow CloudBase', () => {
    expect(parseFunctionConfig('f', {})).toEqual({ timeout: 3, envVariables: {}, openapi: [], triggers: [] });
  });

  test('CloudBase fields are read and unknown ones tolerated', () => {
    const config = parseFunctionConfig('f', {
      permissions: { openapi: ['subscribeMessage.send'] },
      timeout: 20,
      envVariables: { MODE: 'x' },
      triggers: [{ name: 'nightly', type: 'timer', config: '0 0 2 * * * *' }],
      runtime: 'Nodejs20.19',
    });
    expect(config).toEqual({
      timeout: 20,
      envVariables: { MODE: 'x' },
      openapi: ['subscribeMessage.send'],
      triggers: [{ name: 'nightly', type: 'timer', config: '0 0 2 * * * *' }],
    });
  });

  test.each([
    [{ timeout: 0 }, /timeout/],
    [{ timeout: 901 }, /timeout/],
    [{ timeout: 1.5 }, /timeout/],
    [{ envVariables: { 'BAD-NAME': 'x' } }, /envVariables.BAD-NAME: names are letters/],
    [{ envVariables: { WX_OPENID: 'forged' } }, /set by the platform/],
    [{ envVariables: { OK: 1 } }, /envVariables\.OK/],
    [{ permissions: { openapi: 'all' } }, /permissions\.openapi/],
    [
      {
        triggers: [
          { name: 'a', type: 'timer', config: '0 0 2 * * * *' },
          { name: 'b', type: 'timer', config: '0 0 3 * * * *' },
        ],
      },
      /more than one timer/,
    ],
  ])('%j is refused with the function name and field', (raw, field) => {
    expect(() => parseFunctionConfig('payout', raw)).toThrow(/^cloud function payout: /);
    expect(() => parseFunctionConfig('payout', raw)).toThrow(field);
  });
});

describe('invocation environment', () => {
  const config = {
    timeout: 3,
    envVariables: { WX_OPENID: 'forged', TCB_SOURCE: 'forged', MODE: 'config' },
    openapi: [],
    triggers: [],
  };

  test('platform identity wins over configuration; only given identity fields appear', () => {
    const env = invocationEnvironment({
      base: { PATH: '/bin' },
      config,
      contributed: [{ MODE: 'contributed', EXTRA: '1' }],
      sdk: { TCB_ENV: 'env-1' },
      trigger: { name: 'f', event: {}, source: 'wx_client', openid: 'real-user' },
      apiToken: 'token-1',
      clockOffsetMs: 42,
    });
    expect(env).toMatchObject({
      PATH: '/bin',
      WX_OPENID: 'real-user',
      TCB_SOURCE: 'wx_client',
      MODE: 'contributed',
      EXTRA: '1',
      TCB_ENV: 'env-1',
      WX_API_TOKEN: 'token-1',
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_API_TOKEN',
      WXLEND_CLOCK_OFFSET_MS: '42',
      SCF_FUNCTIONNAME: 'f',
    });
    expect(env).not.toHaveProperty('WX_APPID');
    expect(env).not.toHaveProperty('TRIGGER_SRC');
  });

  test('timer invocations carry TRIGGER_SRC=timer', () => {
    const env = invocationEnvironment({
      base: {},
      config,
      contributed: [],
      sdk: {},
      trigger: { name: 'f', event: {}, source: 'wx_trigger' },
      apiToken: 't',
      clockOffsetMs: 0,
    });
    expect(env.TRIGGER_SRC).toBe('timer');
    expect(env).not.toHaveProperty('WX_OPENID');
  });
});

describe('invocation history', () => {
  const record = (requestId: string, name = 'f') => ({
    requestId,
    name,
    source: 'scf',
    startedAt: 0,
    durationMs: 0,
    outcome: 'running' as const,
    coldStart: false,
    logs: [],
    ...noCost(),
  });

  test('keeps the newest invocations only, and counts every one', () => {
    const history = new InvocationHistory(3);
    for (let i = 0; i < 5; i += 1) history.finish(history.begin(record(`r${i}`)), 'ok', 1);
    expect(history.list().map((r) => r.requestId)).toEqual(['r4', 'r3', 'r2']);
    expect(history.totals()).toEqual({ f: { total: 5, ok: 5, error: 0, timeout: 0 } });
    history.appendLog('r0', { level: 'log', message: 'late line of a forgotten invocation', at: 0 });
    expect(history.get('r0')).toBeUndefined();
  });

  test('bounds the log lines of one invocation', () => {
    const history = new InvocationHistory();
    const running = history.begin(record('chatty'));
    for (let i = 0; i < MAX_LOG_LINES + 10; i += 1)
      history.appendLog('chatty', { level: 'log', message: `${i}`, at: i });
    expect(running.logs).toHaveLength(MAX_LOG_LINES + 1);
    expect(running.logs.at(-1)?.message).toMatch(/rest dropped/);
  });
});

describe('client error messages', () => {
  test('follow the mini-program SDK format', () => {
    expect(clientErrMsg({ code: 'FUNCTIONS_EXECUTE_FAIL', message: 'Error: x' })).toBe(
      'cloud.callFunction:fail Error: errCode: -504002 functions execute fail | errMsg: Error: x',
    );
    expect(
      clientErrMsg({
        code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
        message: 'Invoking task timed out after 3 seconds',
      }),
    ).toBe(
      'cloud.callFunction:fail Error: errCode: -504003 | errMsg: Invoking task timed out after 3 seconds',
    );
  });
});

describe('worker pool', () => {
  /** A stand-in instance: the pool only reads `alive`/`idleSince` and calls `terminate`. */
  const fakeWorker = (id: number): FunctionWorker => {
    const fake = { id, alive: true, idleSince: 0, terminated: false };
    return Object.assign(fake, {
      terminate: async () => {
        fake.alive = false;
        fake.terminated = true;
      },
    }) as unknown as FunctionWorker;
  };
  const spawner = () => {
    let next = 1;
    return jest.fn(async () => fakeWorker(next++));
  };

  test('reuses idle instances, starts new ones up to the cap, then queues', async () => {
    const spawn = spawner();
    const pool = new WorkerPool(spawn, 2, 60_000);
    const a = await pool.acquire('r1', () => ({}));
    const b = await pool.acquire('r2', () => ({}));
    expect([a.cold, b.cold]).toEqual([true, true]);
    let third: WorkerLease | undefined;
    void pool.acquire('r3', () => ({})).then((lease) => (third = lease));
    await Promise.resolve();
    expect(pool.stats()).toEqual({ idle: 0, busy: 2, starting: 0, queued: 1 });
    pool.release(a.worker);
    await Promise.resolve();
    expect(third).toEqual({ worker: a.worker, cold: false });
    expect(spawn).toHaveBeenCalledTimes(2);
  });

  test('a discarded instance lets a queued request start a new one', async () => {
    const spawn = spawner();
    const pool = new WorkerPool(spawn, 1, 60_000);
    const first = await pool.acquire('r1', () => ({}));
    const queued = pool.acquire('r2', () => ({}));
    pool.discard(first.worker);
    const lease = await queued;
    expect(lease.cold).toBe(true);
    expect(lease.worker).not.toBe(first.worker);
    expect(first.worker.alive).toBe(false);
  });

  test('idle instances are reaped after the TTL; retiring waits for busy ones', async () => {
    const pool = new WorkerPool(spawner(), 4, 1_000);
    const a = await pool.acquire('r1', () => ({}));
    const b = await pool.acquire('r2', () => ({}));
    pool.release(a.worker);
    expect(pool.reapIdle(a.worker.idleSince + 999)).toBe(0);
    expect(pool.reapIdle(a.worker.idleSince + 1_000)).toBe(1);
    expect(a.worker.alive).toBe(false);
    pool.retireAll();
    expect(b.worker.alive).toBe(true);
    pool.release(b.worker);
    expect(b.worker.alive).toBe(false);
    expect(pool.stats()).toEqual({ idle: 0, busy: 0, starting: 0, queued: 0 });
  });
});

describe('bundle cache', () => {
  test('reuses a bundle only while every input and the settings are unchanged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-cache-'));
    try {
      const entry = path.join(dir, 'index.ts');
      const helper = path.join(dir, 'helper.ts');
      fs.writeFileSync(entry, 'import "./helper";');
      fs.writeFileSync(helper, 'export const a = 1;');
      const cache = new BundleCache(path.join(dir, 'cache'));
      expect(cache.lookup(entry, 'settings')).toBeUndefined();
      cache.store(entry, 'settings', [entry, helper], 'bundled code');
      expect(cache.lookup(entry, 'settings')).toBe('bundled code');
      expect(cache.lookup(entry, 'other settings')).toBeUndefined();
      fs.writeFileSync(helper, 'export const a = 2;');
      expect(cache.lookup(entry, 'settings')).toBeUndefined();
      fs.rmSync(helper);
      expect(cache.lookup(entry, 'settings')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('invocation cost', () => {
  test('counts every SDK call; transactions, conflicts and database time by action and answer', () => {
    const cost = noCost();
    addCallCost(cost, { action: 'database.startTransaction', apiToken: 't', elapsedMs: 0.5 });
    addCallCost(cost, {
      action: 'database.commitTransaction',
      apiToken: 't',
      elapsedMs: 1.25,
      errorCode: 'DATABASE_TRANSACTION_CONFLICT',
    });
    addCallCost(cost, { action: 'functions.invokeFunction', apiToken: 't', elapsedMs: 40 });
    addCallCost(cost, { action: 'wx.openApi', apiToken: 't', elapsedMs: 2, errorCode: 'SYS_ERR' });
    expect(cost).toEqual({ sdkCalls: 4, transactions: 1, conflicts: 1, dbMs: 1.75 });
  });
});
