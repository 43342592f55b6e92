import fs from 'node:fs';

/**
 * The emulator's one clock. It runs with real time plus an offset that tests can set or advance;
 * everything time-dependent in the backend (serverDate, bill expiry, retry schedules, timers) reads it,
 * and functions receive its offset with every invocation.
 */
export class EmulatorClock {
  private offsetMs = 0;
  /** Set while frozen: emulator time then stands still until moved or thawed (boundary tests). */
  private frozenAt: number | undefined;
  private readonly listeners = new Set<(now: number) => Promise<void> | void>();

  /** With `file`, the offset survives a restart: it is read now and written after every change. */
  constructor(private readonly file?: string) {
    if (file) this.offsetMs = readOffset(file);
  }

  /** Current emulator time in epoch milliseconds. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Stops emulator time where it is (set/advance still move it), so boundaries are exact; answers it. */
  freeze(): number {
    this.frozenAt = this.now();
    return this.frozenAt;
  }

  /** Lets emulator time run on with real time from where it stands. */
  thaw(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
    this.persist();
  }

  /** Difference between emulator time and real time, handed to function workers. */
  offset(): number {
    return this.frozenAt === undefined ? this.offsetMs : this.frozenAt - Date.now();
  }

  /** Jumps to an absolute time and runs whatever became due. */
  async set(epochMs: number): Promise<number> {
    if (this.frozenAt === undefined) this.offsetMs = epochMs - Date.now();
    else this.frozenAt = epochMs;
    this.persist();
    await this.notify();
    return this.now();
  }

  /** Moves forward (never backward) and runs whatever became due. */
  async advance(ms: number): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance needs a non-negative number of ms');
    if (this.frozenAt === undefined) this.offsetMs += ms;
    else this.frozenAt += ms;
    this.persist();
    await this.notify();
    return this.now();
  }

  /** Back to real time (reset of all state). */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
    this.persist();
  }

  /** Registers a callback run after every jump, e.g. a scheduler draining due tasks. */
  onChange(listener: (now: number) => Promise<void> | void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private persist(): void {
    if (!this.file) return;
    // Written whole then renamed, so a crash never leaves half a file.
    const temp = `${this.file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ offsetMs: this.offset() }));
    fs.renameSync(temp, this.file);
  }

  private async notify(): Promise<void> {
    const now = this.now();
    for (const listener of this.listeners) await listener(now);
  }
}

/** The stored offset, or 0 when there is none (or it is unreadable: real time is the safe default). */
function readOffset(file: string): number {
  try {
    const value = (JSON.parse(fs.readFileSync(file, 'utf8')) as { offsetMs?: unknown }).offsetMs;
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}
