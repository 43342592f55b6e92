import { z } from 'zod';

/**
 * A scripted fault of the fake bureau, as `POST /_admin/bureau/faults` describes it: `slow` holds the
 * answer `delayMs` real ms (past the client's timeout), `down` answers 503, `malformed` answers 200
 * with a body that breaks the protocol's schema. Each applies to the next `count` requests.
 */
export const bureauFaultSchema = z.strictObject({
  kind: z.enum(['slow', 'down', 'malformed']),
  count: z.number().int().min(1).max(1000).default(1),
  delayMs: z.number().int().min(1).max(120_000).default(10_000),
});

/** A fault with defaults applied. */
export type BureauFault = z.output<typeof bureauFaultSchema>;

/** Pending faults, consumed one per request in the order they were added. */
export class BureauFaultPlan {
  private faults: BureauFault[] = [];

  /** Adds a fault (validated); throws a ZodError on a bad spec. */
  add(input: z.input<typeof bureauFaultSchema>): BureauFault {
    const fault = bureauFaultSchema.parse(input);
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one fault for this request, if any is pending. */
  take(): BureauFault | undefined {
    const fault = this.faults[0];
    if (!fault) return undefined;
    if (fault.count <= 1) this.faults.shift();
    else this.faults[0] = { ...fault, count: fault.count - 1 };
    return { ...fault, count: 1 };
  }

  /** Faults still pending, with remaining counts. */
  pending(): BureauFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Forgets every fault. */
  clear(): void {
    this.faults = [];
  }
}
