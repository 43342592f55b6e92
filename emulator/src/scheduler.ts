import type { EmulatorClock } from './clock';

/** A task due at an emulator time (bill expiry, a notification retry, a timer tick). */
interface ScheduledTask {
  id: number;
  dueAt: number;
  label: string;
  run: () => Promise<void> | void;
}

/**
 * Runs tasks when the emulator clock reaches them: on every clock jump, and (when `autoTick`) on a
 * real-time tick so `npm start` behaves like the cloud. Tasks run one at a time in due order.
 */
export class EmulatorScheduler {
  private tasks: ScheduledTask[] = [];
  private nextId = 1;
  private draining: Promise<void> | null = null;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly clock: EmulatorClock) {
    clock.onChange(() => this.drain());
  }

  /** Schedules `run` at emulator time `dueAt`; returns a cancel function. */
  at(dueAt: number, label: string, run: () => Promise<void> | void): () => void {
    const task: ScheduledTask = { id: this.nextId++, dueAt, label, run };
    this.tasks.push(task);
    this.tasks.sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  /** Schedules `run` after `delayMs` of emulator time. */
  after(delayMs: number, label: string, run: () => Promise<void> | void): () => void {
    return this.at(this.clock.now() + delayMs, label, run);
  }

  /** Labels and due times of pending tasks (for the console and tests). */
  pending(): Array<{ label: string; dueAt: number }> {
    return this.tasks.map((t) => ({ label: t.label, dueAt: t.dueAt }));
  }

  /** Runs every task that is due now, including ones that due tasks schedule for the past. */
  drain(): Promise<void> {
    if (this.draining) return this.draining.then(() => this.drain());
    this.draining = this.runDue().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Starts the real-time tick. */
  startTicking(intervalMs = 250): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => void this.drain(), intervalMs);
    this.ticker.unref();
  }

  /** Stops the tick and forgets every task. */
  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    this.tasks = [];
  }

  /** Forgets every pending task (reset of all state). */
  clear(): void {
    this.tasks = [];
  }

  private async runDue(): Promise<void> {
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.dueAt > this.clock.now()) return;
      this.tasks.shift();
      try {
        await next.run();
      } catch (error) {
        console.error(`[scheduler] task ${next.label} failed: ${(error as Error).message}`);
      }
    }
  }
}
