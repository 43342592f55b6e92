import type { FunctionsApi, InvokeResult } from '../functions/api';
import type { EmulatorContext, EmulatorService } from '../service';
import { nextFireTime, parseTimerCron, recentFireTimes, type TimerCron } from './cron';
import { registerTimerRoutes } from './routes';
import { timerEvent } from './timer-event';

/**
 * Delays before re-running a failed tick (emulator ms). CloudBase retries a failed asynchronous
 * run twice, so one tick runs at most 3 times; the spacing is the emulator's choice.
 */
export const TIMER_RETRY_DELAYS_MS = [60_000, 120_000];

/**
 * Overdue ticks of one timer replayed after a clock jump (the latest ones). A real platform never
 * "misses" ticks; an emulator clock jumping days would otherwise run thousands of invocations.
 */
export const TIMER_CATCH_UP_LIMIT = 10;

/** Runs remembered for tests and the console; older ones are forgotten. */
const RUNS_KEPT = 10_000;

/** One timer trigger from a function's config.json. */
export interface TimerTrigger {
  functionName: string;
  triggerName: string;
  cron: TimerCron;
  /** Next scheduled tick (emulator ms), or undefined when the cron never fires again. */
  nextFireAt: number | undefined;
  /** The last range of overdue ticks a clock jump skipped (ticks at `from` … before `before`). */
  skipped?: { from: number; before: number };
}

/** One run of a timer tick. */
export interface TimerRun {
  functionName: string;
  triggerName: string;
  /** The tick the run belongs to (its event's `Time`). */
  tickAt: number;
  /** 1 for the tick itself, 2 and 3 for the retries. */
  attempt: number;
  at: number;
  requestId: string;
  /** What the function returned, when it succeeded. */
  result?: unknown;
  error?: { code: string; message: string };
}

/** Timer triggers driven by the emulator clock, invoked with SOURCE `wx_trigger`. */
export class TimerService implements EmulatorService {
  readonly name = 'timers';
  private triggers: TimerTrigger[] = [];
  /** Bumped on reset/stop so ticks and retries scheduled before it do nothing. */
  private generation = 0;
  /** Per timer, the promise of its latest run, so runs of one timer never overlap. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  readonly runs: TimerRun[] = [];
  /** At most this many overdue ticks of one timer are replayed after a clock jump. */
  catchUpLimit = TIMER_CATCH_UP_LIMIT;
  /** Raised by triggers that could not be loaded (bad cron), reported in /health. */
  private readonly problems: string[] = [];

  constructor(private readonly ctx: EmulatorContext) {
    registerTimerRoutes(ctx.app, this);
  }

  async start(): Promise<void> {
    this.load();
  }

  /** Stops scheduling and waits for runs already started (their workers are about to close). */
  async stop(): Promise<void> {
    this.unschedule();
    await this.idle();
  }

  info(): Record<string, unknown> {
    return { timers: this.triggers.length, problems: this.problems };
  }

  /** Forgets runs and schedules every trigger afresh from the (reset) clock. */
  async reset(): Promise<void> {
    this.runs.length = 0;
    this.unschedule();
    this.load();
  }

  /** Every timer with its next fire time. */
  list(): Array<{
    function: string;
    trigger: string;
    cron: string;
    nextFireAt: string | null;
    skipped: { from: string; before: string } | null;
  }> {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return this.triggers.map((t) => ({
      function: t.functionName,
      trigger: t.triggerName,
      cron: t.cron.source,
      nextFireAt: t.nextFireAt === undefined ? null : iso(t.nextFireAt),
      skipped: t.skipped ? { from: iso(t.skipped.from), before: iso(t.skipped.before) } : null,
    }));
  }

  /** True when `functionName` has a timer named `triggerName`. */
  has(functionName: string, triggerName: string): boolean {
    return this.triggers.some((t) => t.functionName === functionName && t.triggerName === triggerName);
  }

  /** Fires one tick now (as if due), with the usual retries on failure; returns the first run. */
  async fire(functionName: string, triggerName: string): Promise<TimerRun> {
    const trigger = this.triggers.find(
      (t) => t.functionName === functionName && t.triggerName === triggerName,
    );
    if (!trigger) throw new Error(`no timer ${triggerName} on function ${functionName}`);
    return this.runTick(trigger, this.ctx.clock.now(), 1);
  }

  private load(): void {
    this.triggers = [];
    this.problems.length = 0;
    const functions = this.functions();
    if (!functions) return;
    for (const name of functions.names()) {
      for (const trigger of functions.config(name)?.triggers ?? []) {
        if (trigger.type !== 'timer') continue;
        try {
          const cron = parseTimerCron(trigger.config);
          const entry: TimerTrigger = {
            functionName: name,
            triggerName: trigger.name,
            cron,
            nextFireAt: undefined,
          };
          this.triggers.push(entry);
          this.scheduleNext(entry, this.ctx.clock.now());
        } catch (error) {
          this.problems.push(`${name}/${trigger.name}: ${(error as Error).message}`);
        }
      }
    }
  }

  private scheduleNext(trigger: TimerTrigger, afterMs: number): void {
    trigger.nextFireAt = nextFireTime(trigger.cron, afterMs);
    const dueAt = trigger.nextFireAt;
    if (dueAt === undefined) return;
    const generation = this.generation;
    this.ctx.scheduler.at(dueAt, `timer ${trigger.functionName}/${trigger.triggerName}`, async () => {
      if (generation !== this.generation) return;
      const tickAt = this.catchUp(trigger, dueAt);
      // The next tick is computed from this one, so a clock jump fires the ticks in between.
      this.scheduleNext(trigger, tickAt);
      this.runInBackground(trigger, () => this.runTick(trigger, tickAt, 1));
    });
  }

  /**
   * After a long clock jump, replays only the latest `catchUpLimit` overdue ticks (so a jump of years
   * does not run millions of invocations); the skipped ones are recorded on the trigger.
   */
  private catchUp(trigger: TimerTrigger, dueAt: number): number {
    const recent = recentFireTimes(trigger.cron, this.ctx.clock.now(), this.catchUpLimit);
    const oldestReplayed = recent[0];
    if (recent.length < this.catchUpLimit || oldestReplayed === undefined || oldestReplayed <= dueAt)
      return dueAt;
    trigger.skipped = { from: dueAt, before: oldestReplayed };
    return oldestReplayed;
  }

  /**
   * Runs a tick without holding up the clock jump that made it due (timer runs are asynchronous in
   * CloudBase too); runs of one timer stay in order. `idle()` waits for them.
   */
  private runInBackground(trigger: TimerTrigger, run: () => Promise<TimerRun>): void {
    const key = `${trigger.functionName}/${trigger.triggerName}`;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(run).then(
      () => undefined,
      (error: unknown) => console.error(`[timers] ${key} failed to run: ${(error as Error).message}`),
    );
    this.chains.set(key, next);
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
  }

  /** Resolves once every started timer run has finished (tests call it after moving the clock). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async runTick(trigger: TimerTrigger, tickAt: number, attempt: number): Promise<TimerRun> {
    const generation = this.generation;
    const functions = this.functions();
    const result: InvokeResult | undefined = await functions?.invoke({
      name: trigger.functionName,
      event: timerEvent(trigger.triggerName, tickAt),
      source: 'wx_trigger',
    });
    const run: TimerRun = {
      functionName: trigger.functionName,
      triggerName: trigger.triggerName,
      tickAt,
      attempt,
      at: this.ctx.clock.now(),
      requestId: result?.requestId ?? '',
      ...(!result
        ? { error: { code: 'NO_RUNTIME', message: 'the emulator runs without a functions service' } }
        : result.error
          ? { error: result.error }
          : { result: result.result }),
    };
    this.runs.push(run);
    if (this.runs.length > RUNS_KEPT) this.runs.splice(0, this.runs.length - RUNS_KEPT);
    const delay = TIMER_RETRY_DELAYS_MS[attempt - 1];
    if (run.error && delay !== undefined && generation === this.generation) {
      this.ctx.scheduler.after(delay, `timer ${trigger.functionName}/${trigger.triggerName} retry`, () => {
        if (generation === this.generation)
          this.runInBackground(trigger, () => this.runTick(trigger, tickAt, attempt + 1));
      });
    }
    return run;
  }

  private unschedule(): void {
    this.generation++;
  }

  private functions(): FunctionsApi | undefined {
    try {
      return this.ctx.service<EmulatorService & FunctionsApi>('functions');
    } catch {
      return undefined;
    }
  }
}

/** Factory for services.ts. */
export function timerService(ctx: EmulatorContext): EmulatorService {
  return new TimerService(ctx);
}
