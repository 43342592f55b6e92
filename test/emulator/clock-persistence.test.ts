import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator } from '../helpers/emulator';

/** Issue 10 case 7: the clock offset set through `/_admin/clock` survives a restart on the same data folder. */
test('the clock offset is kept with the data folder across a restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-clock-'));
  const first = await startTestEmulator({ dataDir });
  const target = Date.now() + 3 * 86_400_000;
  const set = await fetch(`${first.baseUrl}/_admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ set: target }),
  });
  const { offsetMs } = (await set.json()) as { offsetMs: number };
  await first.stop({ keepData: true });

  const second = await startTestEmulator({ dataDir });
  try {
    console.log(`[case 7] offset before restart ${offsetMs} ms, after ${second.hub.clock.offset()} ms`);
    expect(second.hub.clock.offset()).toBe(offsetMs);
    expect(second.hub.clock.now()).toBeGreaterThanOrEqual(target);
    await fetch(`${second.baseUrl}/_admin/reset`, { method: 'POST' });
    expect(second.hub.clock.offset()).toBe(0);
  } finally {
    await second.stop({ keepData: true });
  }
  const third = await startTestEmulator({ dataDir });
  expect(third.hub.clock.offset()).toBe(0);
  await third.stop();
  // Three cold backend starts (each loads every function): more than jest's default 30 s on a loaded machine.
}, 120_000);
