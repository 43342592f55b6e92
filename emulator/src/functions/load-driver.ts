/** Latency figures of a batch of calls, in milliseconds. */
export interface LoadFigures {
  calls: number;
  failures: number;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/**
 * Runs `call` `total` times with at most `concurrency` in flight and reports throughput and latency —
 * for benchmarks (e.g. invocations/second against 4 warm instances). A call counts as failed when it
 * throws or answers false.
 */
export async function driveCalls(
  call: (index: number) => Promise<boolean>,
  options: { total: number; concurrency: number },
): Promise<LoadFigures> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < options.total) {
      const index = next++;
      const begun = performance.now();
      const ok = await call(index).catch(() => false);
      latencies.push(performance.now() - begun);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  const elapsedMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    calls: latencies.length,
    failures,
    elapsedMs,
    perSecond: (latencies.length * 1000) / elapsedMs,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted.at(-1) ?? 0,
  };
}
