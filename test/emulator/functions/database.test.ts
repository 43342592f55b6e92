import type { DatabaseService } from '../../../emulator/src/database';
import { callFunctionAsClient } from '../../../emulator/src/functions';
import type { TestEmulator } from '../../helpers/emulator';
import { startFunctionsEmulator } from './helpers';

describe('functions reading and writing the local database', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    ({ emu } = await startFunctionsEmulator());
    emu.hub.service<DatabaseService>('database').createCollection('fixture_notes');
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('each user writes and counts only their own documents, concurrently', async () => {
    const users = ['db-user-a', 'db-user-b', 'db-user-c'];
    const writes = users.flatMap((openid, i) =>
      Array.from({ length: i + 1 }, (_, n) =>
        callFunctionAsClient(emu.baseUrl, { name: 'dbUser', openid, data: { note: `${openid} #${n}` } }),
      ),
    );
    const outcomes = await Promise.all(writes);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    for (const [i, openid] of users.entries()) {
      const last = await callFunctionAsClient(emu.baseUrl, {
        name: 'dbUser',
        openid,
        data: { note: 'last' },
      });
      expect(last).toMatchObject({ ok: true, result: { total: i + 2 } });
    }
    const stored = emu.hub.service<DatabaseService>('database').engine.store.count('fixture_notes');
    expect(stored).toBe(1 + 2 + 3 + users.length);
  });
});
