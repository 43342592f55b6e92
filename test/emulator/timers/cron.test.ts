import { nextFireTime, parseTimerCron } from '../../../emulator/src/timers/cron';
import { timerEvent } from '../../../emulator/src/timers/timer-event';

describe('7-field CloudBase cron (UTC+8)', () => {
  test('2:30 every day China time is 18:30 UTC the day before', () => {
    const cron = parseTimerCron('0 30 2 * * * *');
    const next = nextFireTime(cron, Date.parse('2026-03-01T00:00:00Z'));
    expect(new Date(next ?? 0).toISOString()).toBe('2026-03-01T18:30:00.000Z');
  });

  test('the next fire time is strictly after the given instant', () => {
    const cron = parseTimerCron('0 0 * * * * *');
    const onTheHour = Date.parse('2026-03-01T05:00:00Z');
    expect(nextFireTime(cron, onTheHour)).toBe(onTheHour + 3_600_000);
  });

  test('the year field limits firing to the listed years', () => {
    const cron = parseTimerCron('0 0 0 1 1 * 2099');
    expect(new Date(nextFireTime(cron, Date.parse('2026-01-01T00:00:00Z')) ?? 0).toISOString()).toBe(
      '2098-12-31T16:00:00.000Z',
    );
    expect(nextFireTime(cron, Date.parse('2099-06-01T00:00:00Z'))).toBeUndefined();
    const range = parseTimerCron('0 0 12 * * * 2030-2031');
    expect(new Date(nextFireTime(range, Date.parse('2031-12-31T03:00:00Z')) ?? 0).toISOString()).toBe(
      '2031-12-31T04:00:00.000Z',
    );
    expect(nextFireTime(range, Date.parse('2031-12-31T05:00:00Z'))).toBeUndefined();
  });

  test('malformed crons are refused with a reason', () => {
    expect(() => parseTimerCron('0 0 * * *')).toThrow(/7 fields/);
    expect(() => parseTimerCron('0 0 * * * * 20x9')).toThrow(/year field/);
    expect(() => parseTimerCron('0 99 * * * * *')).toThrow();
  });

  test('the timer event carries Type, TriggerName and the tick time in UTC', () => {
    expect(timerEvent('nightly', Date.parse('2026-03-01T18:30:00.000Z'))).toEqual({
      Type: 'Timer',
      TriggerName: 'nightly',
      Time: '2026-03-01T18:30:00Z',
      Message: '',
    });
  });
});
