import { startTestEmulator, type TestEmulator } from './helpers/emulator';

describe('emulator hub', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('GET /health lists the services', async () => {
    const res = await fetch(`${emu.baseUrl}/health`);
    const body = (await res.json()) as { status: string; services: unknown[] };
    expect(body.status).toBe('ok');
    expect(Array.isArray(body.services)).toBe(true);
  });

  test('the clock can be advanced and reset', async () => {
    const before = emu.hub.clock.now();
    const res = await fetch(`${emu.baseUrl}/_admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    });
    const body = (await res.json()) as { now: number };
    expect(body.now - before).toBeGreaterThanOrEqual(86_400_000);
    await fetch(`${emu.baseUrl}/_admin/reset`, { method: 'POST' });
    expect(Math.abs(emu.hub.clock.now() - Date.now())).toBeLessThan(1000);
  });

  test('an unknown admin action answers a CloudBase-style error', async () => {
    const res = await fetch(`${emu.baseUrl}/admin?env=x&seqId=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'nope.nothing' }),
    });
    const body = (await res.json()) as { code: string };
    expect(body.code).toBe('INVALID_ACTION');
  });
});
