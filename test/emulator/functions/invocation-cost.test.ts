import { databaseService, type DatabaseService } from '../../../emulator/src/database';
import {
  callFunctionAsClient,
  functionsService,
  type FunctionsService,
} from '../../../emulator/src/functions';
import type { InvocationRecord } from '../../../emulator/src/functions';
import type { EmulatorService, ServiceFactory } from '../../../emulator/src/service';
import { startTestEmulator, useTestEmulator } from '../../helpers/emulator';
import { FIXTURE_FUNCTIONS } from './helpers';

/** The invocation records the loopback admin route lists for one function. */
async function listed(baseUrl: string, name: string): Promise<InvocationRecord[]> {
  const response = await fetch(`${baseUrl}/_admin/functions/invocations?name=${name}`);
  return ((await response.json()) as { invocations: InvocationRecord[] }).invocations;
}

describe('each invocation carries what it cost the backend', () => {
  const emulator = useTestEmulator({ functionsDir: FIXTURE_FUNCTIONS });
  beforeEach(() => {
    emulator().hub.service<DatabaseService>('database').createCollection('fixture_notes');
  });

  test('SDK calls and database time of plain reads and writes, listed by the admin route', async () => {
    const outcome = await callFunctionAsClient(emulator().baseUrl, {
      name: 'dbUser',
      openid: 'cost-user',
      data: { note: 'one' },
    });
    expect(outcome.ok).toBe(true);
    const [record] = await listed(emulator().baseUrl, 'dbUser');
    // notes.add + where().count(): two POST /admin calls, no transaction.
    expect(record).toMatchObject({ sdkCalls: 2, transactions: 0, conflicts: 0 });
    expect(record?.dbMs).toBeGreaterThan(0);
  });

  test('a transaction is counted with its calls; overlapping writers show their conflicts', async () => {
    const store = emulator().hub.service<DatabaseService>('database');
    store.bulkInsert('fixture_notes', [{ _id: 'counter', n: 0 }]);
    const single = await callFunctionAsClient(emulator().baseUrl, {
      name: 'dbUser',
      openid: 'cost-user',
      data: { bump: { id: 'counter', holdMs: 0 } },
    });
    expect(single).toMatchObject({ ok: true, result: { n: 1 } });
    const [alone] = await listed(emulator().baseUrl, 'dbUser');
    // startTransaction, get, update, commitTransaction.
    expect(alone).toMatchObject({ sdkCalls: 4, transactions: 1, conflicts: 0 });

    // Warm instances, so the three transactions surely overlap (cold starts would stagger them).
    await emulator().hub.service<FunctionsService>('functions').prewarm('dbUser', 3);
    const overlapping = await Promise.all(
      ['cost-a', 'cost-b', 'cost-c'].map((openid) =>
        callFunctionAsClient(emulator().baseUrl, {
          name: 'dbUser',
          openid,
          data: { bump: { id: 'counter', holdMs: 150 } },
        }),
      ),
    );
    expect(overlapping.every((outcome) => outcome.ok)).toBe(true);
    const records = (await listed(emulator().baseUrl, 'dbUser')).slice(0, 3);
    const conflicts = records.reduce((sum, record) => sum + record.conflicts, 0);
    expect(conflicts).toBeGreaterThanOrEqual(1);
    // Every conflict made the SDK retry in a new transaction, or gave up: never fewer transactions than one each.
    for (const record of records) expect(record.transactions).toBeGreaterThanOrEqual(1);
  });

  test('a called function is metered apart from its caller', async () => {
    const functions = emulator().hub.service<FunctionsService>('functions');
    const result = await functions.invoke({
      name: 'caller',
      event: { target: 'dbUser', data: { note: 'via caller' } },
      source: 'wx_client',
      openid: 'cost-caller',
    });
    expect(result.error).toBeUndefined();
    const [caller] = functions.invocations({ name: 'caller', limit: 1 });
    const [callee] = functions.invocations({ name: 'dbUser', limit: 1 });
    expect(caller).toMatchObject({ sdkCalls: 1, transactions: 0 });
    expect(callee).toMatchObject({ sdkCalls: 2, parentRequestId: caller?.requestId });
  });
});

describe('CLOUDBASE_LOCAL_LATENCY_MS', () => {
  const emulator = useTestEmulator({ functionsDir: FIXTURE_FUNCTIONS, sdkLatencyMs: 40 });

  test('every SDK call waits the configured latency before it is served (database time excludes it)', async () => {
    emulator().hub.service<DatabaseService>('database').createCollection('fixture_notes');
    const functions = emulator().hub.service<FunctionsService>('functions');
    await functions.prewarm('dbUser', 1);
    const result = await functions.invoke({
      name: 'dbUser',
      event: { note: 'slow network' },
      source: 'wx_client',
      openid: 'latency-user',
    });
    expect(result.error).toBeUndefined();
    const [record] = functions.invocations({ name: 'dbUser', limit: 1 });
    expect(record?.sdkCalls).toBe(2);
    expect(result.durationMs).toBeGreaterThanOrEqual(2 * 40);
    expect(record?.dbMs).toBeLessThan(40);
  });
});

describe('startup', () => {
  /** A service whose start waits for the test: holds the hub in its startup window. */
  function gate(): { factory: ServiceFactory; open: () => void } {
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const service: EmulatorService = {
      name: 'gate',
      start: () => opened,
      stop: async () => undefined,
      info: () => ({}),
      reset: async () => undefined,
    };
    return { factory: () => service, open };
  }

  test('/health says starting until every function is loaded; an early call waits instead of FUNCTION_NOT_FOUND', async () => {
    const held = gate();
    const emu = await startTestEmulator(
      { functionsDir: FIXTURE_FUNCTIONS },
      { factories: [databaseService, held.factory, functionsService], noWait: true },
    );
    try {
      while (!emu.baseUrl) await new Promise((resolve) => setTimeout(resolve, 5));
      const health = (await (await fetch(`${emu.baseUrl}/health`)).json()) as {
        status: string;
        services: Array<{ name: string; functions?: string[] }>;
      };
      expect(health.status).toBe('starting');
      expect(health.services.find((s) => s.name === 'functions')?.functions).toEqual([]);
      let settled = false;
      const early = callFunctionAsClient(emu.baseUrl, { name: 'echoContext', openid: 'early-user' }).finally(
        () => (settled = true),
      );
      // In-process callers (timers, pay callbacks) wait the same way, in the runtime itself.
      const direct = emu.hub
        .service<FunctionsService>('functions')
        .invoke({ name: 'echoContext', event: {}, source: 'scf' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(false);
      held.open();
      await emu.started;
      expect(await early).toMatchObject({ ok: true });
      expect((await direct).error).toBeUndefined();
      const after = (await (await fetch(`${emu.baseUrl}/health`)).json()) as { status: string };
      expect(after.status).toBe('ok');
    } finally {
      held.open();
      await emu.stop();
    }
  });
});
