import { z } from 'zod';

/**
 * Steps of a confirmed transfer at which a `crash` fault kills the whole backend (SIGKILL, as
 * `kill -9` would): `confirm` the borrower's confirmation arrived, nothing stored yet;
 * `transfering` / `success` that state is durable (with its history and, when final, its
 * notification), nothing after it ran; `notify` the notification was answered, its delivery not
 * yet recorded.
 */
export const CRASH_STEPS = ['confirm', 'transfering', 'success', 'notify'] as const;
/** A step a crash fault can target. */
export type CrashStep = (typeof CRASH_STEPS)[number];

/** The three merchant endpoints faults can target. */
export const API_ENDPOINTS = ['create', 'query', 'cancel'] as const;
/** A merchant endpoint of the sandbox. */
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];

/** A scripted fault, as tests and `POST /_admin/wechatpay/faults` describe it. */
export const faultSpecSchema = z.discriminatedUnion('target', [
  z.object({
    target: z.literal('api'),
    endpoint: z.enum(API_ENDPOINTS),
    /**
     * `system_error` 500, `frequency_limited` 429, `not_enough` 403, `unknown_code` 500 with a code
     * no client knows; `no_auth` 403 NO_AUTH (a definite refusal: the scene's permission was withdrawn); `timeout_applied` / `timeout_not_applied` hang past the client's timeout with
     * the request taking effect or not.
     */
    kind: z.enum([
      'system_error',
      'frequency_limited',
      'not_enough',
      'unknown_code',
      'no_auth',
      'timeout_applied',
      'timeout_not_applied',
    ]),
    count: z.number().int().min(1).max(1000).default(1),
    /** How long a timeout fault holds the answer, real ms. */
    hangMs: z.number().int().min(1).max(120_000).default(15_000),
  }),
  z.object({
    target: z.literal('notification'),
    /** `drop` never sends; `duplicate` sends a second copy 1 s later; `delay` holds the first attempt;
     * `reorder` holds it until the next notification went out; `probe_signature` first sends a
     * `WECHATPAY/SIGNTEST/` copy. */
    kind: z.enum(['drop', 'duplicate', 'delay', 'reorder', 'probe_signature']),
    count: z.number().int().min(1).max(1000).default(1),
    /** Emulator ms for `delay` (and the longest a `reorder` holds). */
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .default(60_000),
  }),
  z.object({
    target: z.literal('invisible'),
    /** The next created bills stay invisible to queries for this long (emulator ms). */
    forMs: z.number().int().min(1).max(86_400_000),
    count: z.number().int().min(1).max(1000).default(1),
  }),
  z.object({
    target: z.literal('crash'),
    /** Where the backend process dies (durability tests: restart it on the same data folder). */
    at: z.enum(CRASH_STEPS),
    count: z.number().int().min(1).max(1000).default(1),
  }),
  z.object({
    /**
     * The next created bills answer WAIT_USER_CONFIRM with package_info at once, as WeChat's create
     * answer often does (pay.weixin.qq.com/doc/v3/merchant/4014399293); without it a bill answers
     * ACCEPTED and steps through PROCESSING by itself.
     */
    target: z.literal('confirmable_at_create'),
    count: z.number().int().min(1).max(1000).default(1),
  }),
  z.object({
    target: z.literal('settle_fail'),
    /** The next confirmed bills end FAIL with this reason instead of SUCCESS. */
    failReason: z.string().min(1).max(64).default('ACCOUNT_FROZEN'),
    count: z.number().int().min(1).max(1000).default(1),
  }),
]);

/** A scripted fault (input form: defaults optional). */
export type FaultSpecInput = z.input<typeof faultSpecSchema>;
/** A scripted fault with defaults applied. */
export type FaultSpec = z.output<typeof faultSpecSchema>;
/** An API fault. */
export type ApiFault = Extract<FaultSpec, { target: 'api' }>;
/** A notification fault. */
export type NotificationFault = Extract<FaultSpec, { target: 'notification' }>;

/** Pending faults, consumed one per matching call in the order they were added. */
export class FaultPlan {
  private faults: FaultSpec[] = [];

  /** Adds a fault (validated); throws a ZodError on a bad spec. */
  add(input: FaultSpecInput): FaultSpec {
    const fault = faultSpecSchema.parse(input);
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one API fault for `endpoint`, if any is pending. */
  takeApi(endpoint: ApiEndpoint): ApiFault | undefined {
    return this.take((f): f is ApiFault => f.target === 'api' && f.endpoint === endpoint);
  }

  /** Consumes one notification fault, if any is pending. */
  takeNotification(): NotificationFault | undefined {
    return this.take((f): f is NotificationFault => f.target === 'notification');
  }

  /** Consumes one invisibility fault: how long the new bill hides from queries. */
  takeInvisibleMs(): number | undefined {
    return this.take((f): f is Extract<FaultSpec, { target: 'invisible' }> => f.target === 'invisible')
      ?.forMs;
  }

  /** Consumes one settle-fail fault: the reason the confirmed bill fails with. */
  takeSettleFail(): string | undefined {
    return this.take((f): f is Extract<FaultSpec, { target: 'settle_fail' }> => f.target === 'settle_fail')
      ?.failReason;
  }

  /** Consumes one confirmable-at-create fault: true when the next bill answers WAIT_USER_CONFIRM at once. */
  takeConfirmableAtCreate(): boolean {
    return (
      this.take(
        (f): f is Extract<FaultSpec, { target: 'confirmable_at_create' }> =>
          f.target === 'confirmable_at_create',
      ) !== undefined
    );
  }

  /** Consumes a crash fault for `step`: true when the backend must die there. */
  takeCrash(step: CrashStep): boolean {
    const crash = this.take(
      (f): f is Extract<FaultSpec, { target: 'crash' }> => f.target === 'crash' && f.at === step,
    );
    return crash !== undefined;
  }

  /** Faults still pending, with remaining counts. */
  pending(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Forgets every fault. */
  clear(): void {
    this.faults = [];
  }

  private take<T extends FaultSpec>(match: (f: FaultSpec) => f is T): T | undefined {
    const index = this.faults.findIndex(match);
    if (index < 0) return undefined;
    const fault = this.faults[index] as T;
    if (fault.count <= 1) this.faults.splice(index, 1);
    else this.faults[index] = { ...fault, count: fault.count - 1 };
    return { ...fault, count: 1 };
  }
}
