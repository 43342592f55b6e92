/** One printed figure of a benchmark. */
export interface BenchRow {
  /** Which issue's benchmark it belongs to (emulator, scoring, apply, payout, reconciliation). */
  suite: string;
  /** What was measured. */
  name: string;
  /** How many samples. */
  samples: number;
  /** Median latency in ms (undefined for pure throughput rows). */
  medianMs?: number;
  /** 99th percentile latency in ms. */
  p99Ms?: number;
  /** Operations per second. */
  perSecond?: number;
}

/** Value at `fraction` of an ascending list (nearest rank). */
export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Times `run` `samples` times sequentially (after `warmup` unmeasured runs) and summarises the latencies. */
export async function measureLatency(
  suite: string,
  name: string,
  samples: number,
  run: (index: number) => Promise<unknown>,
  warmup = 5,
): Promise<BenchRow> {
  for (let i = 0; i < warmup; i += 1) await run(-1 - i);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < samples; i += 1) {
    const begun = performance.now();
    await run(i);
    latencies.push(performance.now() - begun);
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    suite,
    name,
    samples,
    medianMs: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    perSecond: (samples * 1000) / elapsed,
  };
}

/** Runs `total` calls with `concurrency` in flight and reports latency percentiles and throughput. */
export async function measureThroughput(
  suite: string,
  name: string,
  total: number,
  concurrency: number,
  run: (index: number) => Promise<unknown>,
): Promise<BenchRow> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next;
      next += 1;
      const begun = performance.now();
      await run(index);
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    suite,
    name,
    samples: total,
    medianMs: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    perSecond: (total * 1000) / elapsed,
  };
}

/** Formats a header and rows of cells as an aligned text table. */
export function formatColumns(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Formats rows as an aligned text table. */
export function formatTable(rows: BenchRow[]): string {
  const cells = rows.map((r) => [
    r.suite,
    r.name,
    String(r.samples),
    r.medianMs === undefined ? '' : r.medianMs.toFixed(2),
    r.p99Ms === undefined ? '' : r.p99Ms.toFixed(2),
    r.perSecond === undefined ? '' : r.perSecond.toFixed(1),
  ]);
  return formatColumns(['suite', 'measure', 'n', 'median ms', 'p99 ms', 'per s'], cells);
}
