import { BackoffPoller } from '../../miniprogram/utils/backoff-poller';
import { parseYuanInput } from '../../miniprogram/utils/yuan-input';

test('typed yuan become integer fen without floats', () => {
  expect(parseYuanInput('300')).toBe(30_000);
  expect(parseYuanInput('0.1')).toBe(10);
  expect(parseYuanInput(' 1234.56 ')).toBe(123_456);
  for (const bad of ['', '1.234', '-1', '1e3', '１００', 'abc', '1.'])
    expect(parseYuanInput(bad)).toBeUndefined();
});

describe('BackoffPoller', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('backs off while moving and stops on a final answer', async () => {
    const answers = [true, true, false];
    const calls: number[] = [];
    const poller = new BackoffPoller(
      async () => {
        calls.push(Date.now());
        return answers.shift() ?? false;
      },
      { initialMs: 1_000, maxMs: 1_500, factor: 2 },
    );
    poller.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_500);
    expect(calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_500);
    expect(calls).toHaveLength(3);
    expect(poller.active).toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(3);
  });

  test('stop() (onHide) ends it at once', async () => {
    let calls = 0;
    const poller = new BackoffPoller(async () => {
      calls += 1;
      return true;
    });
    poller.start();
    poller.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(0);
  });
});
