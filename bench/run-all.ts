import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConcurrencyBench } from './concurrency.bench';
import { runEmulatorBench } from './emulator.bench';
import { runLendingBench } from './lending.bench';
import { runPayoutBench } from './payout.bench';
import { runRepaymentBench } from './repayment.bench';
import { formatTable, type BenchRow } from './lib/stats';
import { measureSteal } from './lib/steal';

/** Where result files go (gitignored). */
const RESULTS_DIR = path.resolve(__dirname, '..', 'bench-results');

/** What one `npm run bench` writes, so two runs can be compared. */
interface BenchFile {
  /** ISO time the run finished. */
  at: string;
  /** Node version and CPU count, since figures depend on them. */
  machine: { node: string; cpus: number };
  rows: BenchRow[];
}

/** `--compare <file>` from the command line, if given. */
function compareArgument(argv: string[]): string | undefined {
  const at = argv.indexOf('--compare');
  if (at === -1) return undefined;
  const file = argv[at + 1];
  if (!file) throw new Error('--compare needs a results file (bench-results/bench-….json)');
  return file;
}

/** Signed percentage change from `before` to `after`, or '' when either is missing. */
function delta(before: number | undefined, after: number | undefined): string {
  if (before === undefined || after === undefined || before === 0) return '';
  const pct = ((after - before) / before) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/**
 * What identifies a measure across runs: its name without the figures it carries in parentheses
 * (a row named "… (0 failed, 0 conflicts, 10.0 SDK calls, peak 350 MB)" is the same measure at 351 MB).
 */
function measureKey(row: BenchRow): string {
  return `${row.suite}/${row.name.replace(/\s*\([^)]*\d[^)]*\)/g, '')}`;
}

/** Per-row changes of median, p99 and per-second against an earlier results file. */
function comparison(previous: BenchFile, rows: BenchRow[]): string {
  const lines = [`Compared with ${previous.at}:`];
  for (const row of rows) {
    const before = previous.rows.find((r) => measureKey(r) === measureKey(row));
    if (!before) {
      lines.push(`  ${row.suite} / ${row.name}: new`);
      continue;
    }
    lines.push(
      `  ${row.suite} / ${row.name}: median ${delta(before.medianMs, row.medianMs) || '-'}, ` +
        `p99 ${delta(before.p99Ms, row.p99Ms) || '-'}, per s ${delta(before.perSecond, row.perSecond) || '-'}`,
    );
  }
  return lines.join('\n');
}

/** Runs every benchmark in turn (each on fresh data), prints one table and writes the results file. */
async function main(): Promise<void> {
  const compareWith = compareArgument(process.argv.slice(2));
  const previous = compareWith ? (JSON.parse(fs.readFileSync(compareWith, 'utf8')) as BenchFile) : undefined;
  process.env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const rows: BenchRow[] = [];
  for (const [name, run] of [
    ['emulator', runEmulatorBench],
    ['lending', runLendingBench],
    ['payout', runPayoutBench],
    ['repayment', runRepaymentBench],
    ['concurrency', runConcurrencyBench],
  ] as const) {
    const started = performance.now();
    const steal = measureSteal();
    rows.push(...(await run()));
    const stolen = steal.stop();
    // On a virtual machine the hypervisor may take part of the cores for other guests: figures from a
    // run with much steal are slower than the machine is.
    const note =
      stolen >= 0 ? ` (the hypervisor took ${(stolen * 100).toFixed(0)}% of the CPU meanwhile)` : '';
    console.log(`[bench] ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s${note}`);
  }
  const at = new Date().toISOString();
  const file: BenchFile = { at, machine: { node: process.version, cpus: os.cpus().length }, rows };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const target = path.join(RESULTS_DIR, `bench-${at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`\n${formatTable(rows)}\n\nwritten: ${path.relative(process.cwd(), target)}`);
  if (previous) console.log(`\n${comparison(previous, rows)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
