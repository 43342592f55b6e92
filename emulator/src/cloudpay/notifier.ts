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

/** Delivers callbacks with SOURCE `wx_paycallback`, retrying on the scheduler until acknowledged. */
export class CallbackNotifier {
  readonly callbacks: PayCallback[] = [];
  private nextId = 1;

  constructor(
    private readonly scheduler: EmulatorScheduler,
    private readonly now: () => number,
    private readonly functions: () => FunctionsApi,
  ) {}

  /** Queues a callback for delivery now (runs at the scheduler's next drain). */
  enqueue(callback: Omit<PayCallback, 'id' | 'attempts' | 'status'>): PayCallback {
    const queued: PayCallback = { ...callback, id: this.nextId++, attempts: [], status: 'pending' };
    this.callbacks.push(queued);
    this.scheduler.at(this.now(), `cloudpay ${queued.kind} callback #${queued.id}`, () =>
      this.deliver(queued),
    );
    return queued;
  }

  /** Forgets every callback. */
  clear(): void {
    this.callbacks.length = 0;
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
    if (acknowledged) {
      callback.status = 'delivered';
      return;
    }
    const delay = CALLBACK_RETRY_DELAYS_MS[callback.attempts.length - 1];
    if (delay === undefined) {
      callback.status = 'abandoned';
      return;
    }
    this.scheduler.after(delay, `cloudpay ${callback.kind} callback #${callback.id} retry`, () =>
      this.deliver(callback),
    );
  }
}
