import type { EmulatorScheduler } from '../scheduler';
import type { FunctionsApi } from '../functions/api';

/**
 * Delay before each redelivery of an unacknowledged callback (emulator ms): WeChat Pay's published
 * v2 notify schedule, 15 s … 6 h, about a day in all; after the last one the emulator gives up.
 */
export const CALLBACK_RETRY_DELAYS_MS = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000, 10_800_000,
  10_800_000, 10_800_000, 21_600_000, 21_600_000,
];

/** One attempt to hand a callback to its function. */
export interface CallbackAttempt {
  at: number;
  /** True when the function returned `{ errcode: 0 }`. */
  acknowledged: boolean;
  /** What the function returned, or its error. */
  outcome: unknown;
}

/** A payment or refund result callback and its delivery history. */
export interface PayCallback {
  id: number;
  kind: 'payment' | 'refund';
  functionName: string;
  outTradeNo: string;
  outRefundNo?: string;
  event: Record<string, unknown>;
  attempts: CallbackAttempt[];
  /** `delivered`, `pending` (a retry is scheduled) or `abandoned` (retries exhausted). */
  status: 'pending' | 'delivered' | 'abandoned';
}

/** True when a callback function's answer acknowledges the notification. */
export function isAcknowledged(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { errcode?: unknown }).errcode === 0;
}

/**
 * Delivers callbacks with SOURCE `wx_paycallback`, retrying on the scheduler until acknowledged. Every
 * callback and its attempts are saved in `stored` (durable), so a restart resumes the pending ones.
 */
export class CallbackNotifier {
  readonly callbacks: PayCallback[];
  private nextId: number;

  constructor(
    private readonly scheduler: EmulatorScheduler,
    private readonly now: () => number,
    private readonly functions: () => FunctionsApi,
    private readonly stored: Map<string, PayCallback>,
  ) {
    this.callbacks = [...stored.values()].sort((a, b) => a.id - b.id);
    this.nextId = (this.callbacks.at(-1)?.id ?? 0) + 1;
  }

  /** Queues a callback for delivery now (runs at the scheduler's next drain). */
  enqueue(callback: Omit<PayCallback, 'id' | 'attempts' | 'status'>): PayCallback {
    const queued: PayCallback = { ...callback, id: this.nextId++, attempts: [], status: 'pending' };
    this.callbacks.push(queued);
    this.save(queued);
    this.schedule(queued, this.now());
    return queued;
  }

  /** Schedules every pending callback loaded from the data folder: its next attempt as it was due. */
  resume(): void {
    for (const callback of this.callbacks) {
      if (callback.status !== 'pending') continue;
      const last = callback.attempts.at(-1);
      const delay = last ? (CALLBACK_RETRY_DELAYS_MS[callback.attempts.length - 1] ?? 0) : 0;
      this.schedule(callback, (last?.at ?? this.now()) + delay);
    }
  }

  /** Forgets every callback. */
  clear(): void {
    this.callbacks.length = 0;
    this.stored.clear();
  }

  private save(callback: PayCallback): void {
    this.stored.set(String(callback.id), callback);
  }

  private schedule(callback: PayCallback, at: number): void {
    const label = `cloudpay ${callback.kind} callback #${callback.id}${callback.attempts.length ? ' retry' : ''}`;
    this.scheduler.at(at, label, () => this.deliver(callback));
  }

  private async deliver(callback: PayCallback): Promise<void> {
    if (!this.callbacks.includes(callback)) return;
    const result = await this.functions().invoke({
      name: callback.functionName,
      event: callback.event,
      source: 'wx_paycallback',
    });
    const acknowledged = !result.error && isAcknowledged(result.result);
    callback.attempts.push({ at: this.now(), acknowledged, outcome: result.error ?? result.result });
    const delay = CALLBACK_RETRY_DELAYS_MS[callback.attempts.length - 1];
    if (acknowledged) callback.status = 'delivered';
    else if (delay === undefined) callback.status = 'abandoned';
    this.save(callback);
    if (callback.status === 'pending') this.schedule(callback, this.now() + (delay ?? 0));
  }
}
