import { EmulatorClock } from '../../emulator/src/clock';

describe('emulator clock', () => {
  test('a frozen clock stands still while real time passes; set and advance still move it; thaw runs on', async () => {
    const clock = new EmulatorClock();
    const at = clock.freeze();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now()).toBe(at);
    expect(await clock.advance(1_000)).toBe(at + 1_000);
    expect(await clock.set(at + 301_000)).toBe(at + 301_000);
    expect(clock.now()).toBe(at + 301_000);
    clock.thaw();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now()).toBeGreaterThan(at + 301_000);
    expect(clock.now()).toBeLessThan(at + 302_000);
    clock.freeze();
    clock.reset();
    const before = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBeGreaterThan(before);
  });
});
