import type { InvocationLog, InvocationOutcome, InvocationQuery, InvocationRecord } from './api';

/** Console lines kept per invocation; later lines are dropped (with one note saying so). */
export const MAX_LOG_LINES = 500;

/** Longest log line kept, in characters. */
export const MAX_LOG_CHARS = 8_192;

/** Invocations kept in memory by default (oldest forgotten first). */
export const DEFAULT_HISTORY_SIZE = 500;

/** Per-function totals since start (or the last reset). */
export interface InvocationCounts {
  total: number;
  ok: number;
  error: number;
  timeout: number;
}

/** The bounded list of recent invocations with their logs, plus per-function totals. */
export class InvocationHistory {
  private readonly records: InvocationRecord[] = [];
  private readonly byId = new Map<string, InvocationRecord>();
  private readonly counts = new Map<string, InvocationCounts>();

  constructor(private readonly capacity = DEFAULT_HISTORY_SIZE) {}

  /** Records a new running invocation. */
  begin(record: InvocationRecord): InvocationRecord {
    this.records.push(record);
    this.byId.set(record.requestId, record);
    while (this.records.length > this.capacity) {
      const dropped = this.records.shift();
      if (dropped) this.byId.delete(dropped.requestId);
    }
    return record;
  }

  /** Appends a console line to its invocation (lines of forgotten invocations are dropped). */
  appendLog(requestId: string, log: InvocationLog): void {
    const record = this.byId.get(requestId);
    if (!record || record.logs.length > MAX_LOG_LINES) return;
    if (record.logs.length === MAX_LOG_LINES) {
      record.logs.push({
        level: 'warn',
        message: `[more than ${MAX_LOG_LINES} lines; the rest dropped]`,
        at: log.at,
      });
      return;
    }
    const message =
      log.message.length > MAX_LOG_CHARS
        ? `${log.message.slice(0, MAX_LOG_CHARS)}… [truncated]`
        : log.message;
    record.logs.push({ ...log, message });
  }

  /** Marks an invocation finished and counts it. */
  finish(record: InvocationRecord, outcome: Exclude<InvocationOutcome, 'running'>, durationMs: number): void {
    record.outcome = outcome;
    record.durationMs = durationMs;
    const counts = this.counts.get(record.name) ?? { total: 0, ok: 0, error: 0, timeout: 0 };
    counts.total += 1;
    counts[outcome] += 1;
    this.counts.set(record.name, counts);
  }

  /** Recent invocations, newest first. */
  list(query: InvocationQuery = {}): InvocationRecord[] {
    const limit = Math.max(0, Math.min(query.limit ?? 100, this.capacity));
    const found: InvocationRecord[] = [];
    for (let i = this.records.length - 1; i >= 0 && found.length < limit; i -= 1) {
      const record = this.records[i];
      if (record && (!query.name || record.name === query.name)) found.push(record);
    }
    return found;
  }

  /** One invocation by request id, while it is remembered. */
  get(requestId: string): InvocationRecord | undefined {
    return this.byId.get(requestId);
  }

  /** Per-function totals. */
  totals(): Record<string, InvocationCounts> {
    return Object.fromEntries(this.counts);
  }

  /** Forgets everything (state reset). */
  clear(): void {
    this.records.length = 0;
    this.byId.clear();
    this.counts.clear();
  }
}
