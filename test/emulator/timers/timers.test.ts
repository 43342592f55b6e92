import type { TimerService } from '../../../emulator/src/timers/service';
import { startWithFixtures, type FixtureEmulator } from '../openapi/fixture-emulator';

describe('timer triggers on the emulator clock', () => {
  let emu: FixtureEmulator;
  let timers: TimerService;

  const runsOf = (name: string): TimerService['runs'] => timers.runs.filter((r) => r.functionName === name);

  beforeAll(async () => {
    emu = await startWithFixtures(['extTimerHeartbeat', 'extTimerFailing']);
    timers = emu.hub.service<TimerService>('timers');
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('timers are listed with their next fire time (cron in UTC+8, year field honoured)', async () => {
    const listed = await emu.get<{
      timers: Array<{ function: string; trigger: string; nextFireAt: string }>;
    }>('/_admin/timers');
    expect(listed.timers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          function: 'extTimerHeartbeat',
          trigger: 'hourly',
          nextFireAt: '2098-12-31T16:00:00.000Z',
        }),
        expect.objectContaining({
          function: 'extTimerFailing',
          trigger: 'nightly',
          nextFireAt: '2098-12-31T18:30:00.000Z',
        }),
      ]),
    );
  });

  test('advancing the clock by hours fires every due tick with SOURCE wx_trigger and the timer event', async () => {
    await emu.hub.clock.set(Date.parse('2098-12-31T15:59:59Z'));
    expect(runsOf('extTimerHeartbeat')).toHaveLength(0);
    await emu.hub.clock.advance(2 * 3_600_000 + 1_000);
    await timers.idle();
    const runs = runsOf('extTimerHeartbeat');
    expect(runs.map((r) => r.result)).toEqual(
      ['2098-12-31T16:00:00Z', '2098-12-31T17:00:00Z', '2098-12-31T18:00:00Z'].map((Time) => ({
        source: 'wx_trigger',
        event: { Type: 'Timer', TriggerName: 'hourly', Time, Message: '' },
      })),
    );
  });

  test('a failing tick is retried twice (3 runs in all), then left alone', async () => {
    await emu.hub.clock.set(Date.parse('2098-12-31T18:30:00Z'));
    await timers.idle();
    expect(runsOf('extTimerFailing').map((r) => r.attempt)).toEqual([1]);
    for (const step of [60_000, 120_000, 600_000]) {
      await emu.hub.clock.advance(step);
      await timers.idle();
    }
    const runs = runsOf('extTimerFailing');
    expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(runs.every((r) => r.error !== undefined && r.tickAt === Date.parse('2098-12-31T18:30:00Z'))).toBe(
      true,
    );
  });

  test('a jump of many hours replays only the latest 10 overdue ticks and reports the skipped ones', async () => {
    const before = runsOf('extTimerHeartbeat').length;
    await emu.hub.clock.set(Date.parse('2099-01-02T12:00:00Z'));
    await timers.idle();
    const replayed = runsOf('extTimerHeartbeat').slice(before);
    expect(replayed).toHaveLength(10);
    expect(replayed.map((r) => new Date(r.tickAt).toISOString())).toEqual(
      Array.from({ length: 10 }, (_, i) =>
        new Date(Date.parse('2099-01-02T03:00:00Z') + i * 3_600_000).toISOString(),
      ),
    );
    const listed = await emu.get<{ timers: Array<{ function: string; skipped: { before: string } | null }> }>(
      '/_admin/timers',
    );
    expect(listed.timers.find((t) => t.function === 'extTimerHeartbeat')?.skipped?.before).toBe(
      '2099-01-02T03:00:00.000Z',
    );
  });

  test('POST /_admin/timers/fire runs one tick now', async () => {
    const fired = await emu.post<{ run: { result: { source: string } } }>('/_admin/timers/fire', {
      function: 'extTimerHeartbeat',
      trigger: 'hourly',
    });
    expect(fired.status).toBe(200);
    expect(fired.body.run.result.source).toBe('wx_trigger');
    expect((await emu.post('/_admin/timers/fire', { function: 'nope', trigger: 'x' })).status).toBe(404);
  });
});
