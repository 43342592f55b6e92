import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { functionsService, functionsServiceWith, type FunctionsService } from '../emulator/src/functions';
import { DEFAULT_LIMITS } from '../emulator/src/functions/runtime';
import type { InvocationRecord } from '../emulator/src/functions';
import { serviceFactories } from '../emulator/src/services';
import { timerService } from '../emulator/src/timers/service';
import { idCheckChar } from '../shared/idcard';
import type { ApiResult } from '../typings/api';
import type { TestEmulator } from '../test/helpers/emulator';
import { verifyBorrower } from '../test/loan/emulator-harness';
import { signedConsent } from '../test/helpers/signed-consent';
import { startBenchHub, type BenchHub } from './fresh-hub';
import { profilePhase } from './lib/cpu-profile';
import { measureSteal } from './lib/steal';
import { mainThreadCpuMs } from './lib/thread-cpu';
import { megabytes, samplePeakRss, treeRssBytes } from './lib/rss';
import { formatColumns, percentile, type BenchRow } from './lib/stats';

const SUITE = 'concurrency';
/** Applies in flight at each level, and how many applies each level makes. */
const LEVELS: Array<{ inFlight: number; applies: number }> = [
  { inFlight: 1, applies: 10 },
  { inFlight: 4, applies: 16 },
  { inFlight: 16, applies: 32 },
  { inFlight: 64, applies: 64 },
];
/** Injected per-SDK-call latencies: none, and a production-like round trip. */
const LATENCIES_MS = [0, 10];
/** Borrowers verified at once while preparing (verification is not what is measured). */
const VERIFY_IN_FLIGHT = 4;
/** Attempts per borrower's verification (conflicts on shared documents make some fail today). */
const VERIFY_ATTEMPTS = 10;
/** Invocations remembered: enough to find every apply and the functions it called. */
const HISTORY = 5_000;
/** Instances of `loan` (the runtime's per-function maximum) started before the warm pass. */
const WARM_LOAN_INSTANCES = DEFAULT_LIMITS.maxWorkersPerFunction;
/**
 * How instances are there when a pass starts: started on demand inside the levels, as CloudBase does
 * (their cold starts are counted in the figures), or warmed beforehand (the steady state of a busy day).
 */
type StartMode = 'on demand' | 'warm';

/** One level's figures. */
export interface ConcurrencyFigures {
  latencyMs: number;
  /** How the pass started its instances (see StartMode). */
  start: string;
  inFlight: number;
  applies: number;
  decisionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  /** Failure codes seen, with counts. */
  failureCodes: Record<string, number>;
  conflicts: number;
  sdkCallsPerApply: number;
  /** Decision outcomes stored (approved, manual_review …). */
  outcomes: Record<string, number>;
  /** Peak resident memory of the backend (with its workers) during the level, MiB. */
  peakRssMb: number;
  /** Function instances (worker threads) alive at the end of the level. */
  instances: number;
  /** Applies (or functions they called) that waited for a new instance to start inside the level. */
  coldStarts: number;
  /** CPU time of the whole process (backend, its worker threads and the load driver) per apply, ms. */
  cpuMsPerApply: number;
  /** Of which the main thread's (the backend's HTTP and database event loop, and the driver), ms; -1 unknown. */
  mainCpuMsPerApply: number;
  /** CPU time of the process over the level's wall time: how many cores the level kept busy on average. */
  coresBusy: number;
  /** Share of the machine's CPU time its hypervisor gave other guests during the level (0–1); -1 unknown. */
  steal: number;
}

/**
 * A distinct valid resident ID number per borrower (born 1995, so of age): none has a credit file, so
 * each is a thin file, and no two borrowers share the identity-level AML counters.
 */
function borrowerIdNumber(n: number): string {
  const day = 1 + (Math.floor(n / 900) % 28);
  const body = `110101199503${String(day).padStart(2, '0')}${String(100 + (n % 900)).padStart(3, '0')}`;
  return `${body}${idCheckChar(body)}`;
}

/** `loan.apply` as a mini-program user; answers the function's result and the gateway's request id. */
async function apply(
  baseUrl: string,
  openid: string,
  n: number,
  now: number,
): Promise<{ result?: ApiResult<unknown>; requestId?: string; errMsg?: string }> {
  const response = await fetch(`${baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-wx-openid': openid,
      'x-wx-clientip': `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`,
    },
    body: JSON.stringify({
      name: 'loan',
      data: {
        action: 'apply',
        requestId: `req-concurrency-${n}`,
        amount: 20_000,
        termMonths: 6,
        method: 'equal_instalment',
        purpose: 'consumption',
        deviceFingerprint: `concurrency-device-${n}`,
        // The agreement `quote` serves for these figures today, as the apply page signs it.
        consent: signedConsent(20_000, 6, 'equal_instalment', now),
      },
    }),
  });
  const body = (await response.json()) as {
    result?: ApiResult<unknown>;
    requestID?: string;
    errMsg?: string;
  };
  return { result: body.result, requestId: body.requestID, errMsg: body.errMsg };
}

/** Runs `work` over `items` with at most `inFlight` at once. */
async function inParallel<T>(items: T[], inFlight: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, lane));
}

/** An invocation and everything it called (by parentRequestId), from the runtime's history. */
function withDescendants(root: string, records: InvocationRecord[]): InvocationRecord[] {
  const found = records.filter((r) => r.requestId === root);
  for (let i = 0; i < found.length; i += 1) {
    const id = found[i]?.requestId;
    found.push(...records.filter((r) => r.parentRequestId === id));
  }
  return found;
}

/** Verifies `count` fresh borrowers starting at number `first`; answers their openids. */
async function verifyBorrowers(emu: TestEmulator, first: number, count: number): Promise<string[]> {
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  await inParallel(numbers, VERIFY_IN_FLIGHT, async (n) => {
    const person = { name: '王五', idNumber: borrowerIdNumber(n), phone: `139${String(n).padStart(8, '0')}` };
    // Preparation only: a verification lost to a write conflict (TRY_AGAIN) is simply repeated.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await verifyBorrower(emu, `o-concurrency-${n}`, person);
        return;
      } catch (error) {
        const code = (error as Error).message;
        if (code.endsWith('ALREADY_VERIFIED')) return;
        if (!code.endsWith('TRY_AGAIN') || attempt >= VERIFY_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  });
  return numbers.map((n) => `o-concurrency-${n}`);
}

/** One level: `applies` applies by distinct verified borrowers, `inFlight` at a time. */
async function runLevel(
  bench: BenchHub,
  start: string,
  latencyMs: number,
  level: { inFlight: number; applies: number },
  first: number,
): Promise<ConcurrencyFigures> {
  const emu = { hub: bench.hub, baseUrl: bench.hub.baseUrl } as TestEmulator;
  const functions = bench.hub.service<FunctionsService>('functions');
  const openids = await verifyBorrowers(emu, first, level.applies);
  const latencies: number[] = [];
  const failureCodes: Record<string, number> = {};
  const requestIds: string[] = [];
  const outcomes: Record<string, number> = {};
  const memory = samplePeakRss();
  const profile = await profilePhase(
    `backend-${latencyMs}ms-${start.replace(' ', '-')}-${level.inFlight}-in-flight`,
  );
  const steal = measureSteal();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  await inParallel(
    openids.map((openid, i) => ({ openid, n: first + i })),
    level.inFlight,
    async ({ openid, n }) => {
      const begun = performance.now();
      const answer = await apply(emu.baseUrl, openid, n, bench.hub.clock.now()).catch((error: unknown) => ({
        errMsg: (error as Error).message,
        result: undefined,
        requestId: undefined,
      }));
      latencies.push(performance.now() - begun);
      if (answer.requestId) requestIds.push(answer.requestId);
      const result = answer.result as
        ApiResult<{ application?: { status?: string; decision?: { outcome?: string } } }> | undefined;
      if (!result?.ok) {
        const code = result && !result.ok ? result.error.code : (answer.errMsg ?? 'NO_ANSWER');
        failureCodes[code] = (failureCodes[code] ?? 0) + 1;
        return;
      }
      const outcome = result.data.application?.status ?? 'answered';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    },
  );
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  const stolen = steal.stop();
  await profile.stop();
  const peakRssMb = megabytes(memory.stop());
  const records = functions.invocations({ limit: HISTORY });
  let sdkCalls = 0;
  let conflicts = 0;
  let coldStarts = 0;
  for (const id of requestIds)
    for (const record of withDescendants(id, records)) {
      sdkCalls += record.sdkCalls;
      conflicts += record.conflicts;
      if (record.coldStart) coldStarts += 1;
    }
  latencies.sort((a, b) => a - b);
  const failures = Object.values(failureCodes).reduce((sum, n) => sum + n, 0);
  return {
    latencyMs,
    start,
    inFlight: level.inFlight,
    applies: level.applies,
    decisionsPerSecond: ((level.applies - failures) * 1000) / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures,
    failureCodes,
    conflicts,
    sdkCallsPerApply: requestIds.length ? sdkCalls / requestIds.length : 0,
    outcomes,
    peakRssMb,
    instances: Object.values(functions.poolStats()).reduce((sum, s) => sum + s.idle + s.busy, 0),
    coldStarts,
    cpuMsPerApply: (cpu.user + cpu.system) / 1000 / level.applies,
    mainCpuMsPerApply:
      mainBefore === undefined || mainAfter === undefined ? -1 : (mainAfter - mainBefore) / level.applies,
    coresBusy: (cpu.user + cpu.system) / 1000 / elapsed,
    steal: stolen,
  };
}

/**
 * Every level at one injected latency, on a fresh backend: first with instances started on demand,
 * then again (new borrowers) after warming WARM_LOAN_INSTANCES instances of `loan`.
 */
async function runAtLatency(
  latencyMs: number,
): Promise<{ figures: ConcurrencyFigures[]; idleRssMb: number }> {
  const factories = serviceFactories
    .filter((f) => f !== timerService)
    .map((f) =>
      f === functionsService ? functionsServiceWith({ historySize: HISTORY, echoLogs: false }) : f,
    );
  const bench = await startBenchHub(factories, { sdkLatencyMs: latencyMs });
  try {
    const functions = bench.hub.service<FunctionsService>('functions');
    functions.contributeEnv(() => ({ WXLEND_IDENTITY_VERIFIER: 'ocr_phone' }));
    Object.assign(process.env, bench.hub.sdkEnv());
    const idleRssMb = megabytes(treeRssBytes());
    const figures: ConcurrencyFigures[] = [];
    // Borrower numbers stay below 64,000 (their client IPs are 198.18.<n / 250>.<n % 250 + 1>).
    let first = LATENCIES_MS.indexOf(latencyMs) * 1_000;
    const modes: StartMode[] = ['on demand', 'warm'];
    for (const mode of modes) {
      const start = mode === 'warm' ? `warm ${await functions.prewarm('loan', WARM_LOAN_INSTANCES)}` : mode;
      for (const level of LEVELS) {
        figures.push(await runLevel(bench, start, latencyMs, level, first));
        first += level.applies;
      }
    }
    return { figures, idleRssMb };
  } finally {
    await bench.stop();
  }
}

/** The printed table: one line per latency and level. */
export function formatConcurrency(figures: ConcurrencyFigures[]): string {
  return formatColumns(
    [
      'latency ms',
      'instances at start',
      'in flight',
      'applies',
      'decisions/s',
      'p50 ms',
      'p99 ms',
      'failures',
      'conflicts',
      'SDK calls/apply',
      'peak RSS MB',
      'instances',
      'cold starts',
      'CPU ms/apply',
      'main thread',
      'cores busy',
      'steal %',
      'failure codes / outcomes',
    ],
    figures.map((f) => [
      String(f.latencyMs),
      f.start,
      String(f.inFlight),
      String(f.applies),
      f.decisionsPerSecond.toFixed(1),
      f.p50Ms.toFixed(0),
      f.p99Ms.toFixed(0),
      String(f.failures),
      String(f.conflicts),
      f.sdkCallsPerApply.toFixed(1),
      String(f.peakRssMb),
      String(f.instances),
      String(f.coldStarts),
      f.cpuMsPerApply.toFixed(1),
      f.mainCpuMsPerApply < 0 ? '?' : f.mainCpuMsPerApply.toFixed(1),
      f.coresBusy.toFixed(2),
      f.steal < 0 ? '?' : (f.steal * 100).toFixed(0),
      JSON.stringify({ ...f.failureCodes, ...f.outcomes }),
    ]),
  );
}

/**
 * What the machine allows 16 in flight, next to what it reached, per latency and start mode: with every
 * core busy the rate can be at most cores ÷ CPU per apply, so the ratio to 1 in flight is bounded by
 * cores ÷ (the cores one apply in flight already keeps busy) × (its CPU per apply ÷ that at 16). On 2 cores
 * that is below 2× whenever a lone apply keeps more than one core busy (its instance, the backend's event
 * loop and V8's background threads overlap) and concurrency does not make an apply cheaper.
 */
export function formatCeilings(figures: ConcurrencyFigures[], cores: number): string[] {
  const lines: string[] = [];
  for (const one of figures.filter((f) => f.inFlight === 1)) {
    const sixteen = figures.find(
      (f) => f.inFlight === 16 && f.latencyMs === one.latencyMs && f.start === one.start,
    );
    if (!sixteen || one.decisionsPerSecond <= 0 || sixteen.cpuMsPerApply <= 0) continue;
    const ratio = (rate: number): string => `${(rate / one.decisionsPerSecond).toFixed(2)}×`;
    const ceiling = (cores * 1000) / sixteen.cpuMsPerApply;
    const left = sixteen.steal > 0 ? ceiling * (1 - sixteen.steal) : ceiling;
    lines.push(
      `${one.latencyMs} ms, ${one.start}: 16 in flight reached ${sixteen.decisionsPerSecond.toFixed(1)}/s = ` +
        `${ratio(sixteen.decisionsPerSecond)} 1 in flight (which kept ${one.coresBusy.toFixed(2)} cores busy); ` +
        `${cores} cores ÷ ${sixteen.cpuMsPerApply.toFixed(1)} ms CPU per apply bound it at ${ceiling.toFixed(1)}/s = ${ratio(ceiling)}` +
        (sixteen.steal > 0
          ? `, and at ${left.toFixed(1)}/s = ${ratio(left)} with the ${(sixteen.steal * 100).toFixed(0)}% the hypervisor took`
          : ''),
    );
  }
  return lines;
}

/**
 * V8 flags of the backend process, as `npm start` runs it: young-generation semi-spaces of 2 MB
 * (16 MB by default) keep the main thread's heap from growing to ~170 MB of mostly garbage between
 * scavenges (measured at 64 in flight: peak 616 → 524 MB, CPU per apply unchanged).
 */
const BACKEND_NODE_FLAGS = ['--max-semi-space-size=2'];

/** Runs one latency's levels in a fresh child process, so its peak memory is that backend's alone. */
function runInChild(latencyMs: number): Promise<{ figures: ConcurrencyFigures[]; idleRssMb: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...BACKEND_NODE_FLAGS, '--import', 'tsx', __filename, '--latency', String(latencyMs), '--json'],
      { cwd: path.resolve(__dirname, '..'), maxBuffer: 16 * 1024 * 1024, env: process.env },
      (error, stdout, stderr) => {
        if (error)
          return reject(new Error(`concurrency bench at ${latencyMs} ms failed: ${stderr || error.message}`));
        const line = stdout.trim().split('\n').at(-1) ?? '';
        resolve(JSON.parse(line) as { figures: ConcurrencyFigures[]; idleRssMb: number });
      },
    );
  });
}

/**
 * Applies by distinct verified borrowers at 1, 4, 16 and 64 in flight, with no injected latency and with
 * CLOUDBASE_LOCAL_LATENCY_MS=10 per SDK call, each latency in its own process; prints the table and the
 * backend's memory (peak RSS of the process: backend, its worker threads and the small load driver).
 */
export async function runConcurrencyBench(): Promise<BenchRow[]> {
  process.env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const all: ConcurrencyFigures[] = [];
  const idle: string[] = [];
  for (const latencyMs of LATENCIES_MS) {
    const { figures, idleRssMb } = await runInChild(latencyMs);
    all.push(...figures);
    idle.push(`${latencyMs} ms latency: ${idleRssMb} MB after start`);
  }
  const peak = Math.max(...all.map((f) => f.peakRssMb));
  console.log(`\nApplies by distinct verified borrowers (thin files: every decision is stored)`);
  console.log(
    `Each latency: instances started on demand inside the levels (cold starts counted), then the same levels` +
      ` after warming ${WARM_LOAN_INSTANCES} loan instances ("warm N": N instances were idle at the start)\n`,
  );
  console.log(formatConcurrency(all));
  console.log(
    `\nWhat ${availableParallelism()} cores allow at 16 in flight (the CPU ceiling), next to what was reached:`,
  );
  for (const line of formatCeilings(all, availableParallelism())) console.log(`  ${line}`);
  console.log(`\nBackend resident memory (backend + worker threads): ${idle.join('; ')}; peak ${peak} MB`);
  return all.map((f) => ({
    suite: SUITE,
    name: `apply, ${f.inFlight} in flight, ${f.latencyMs} ms per SDK call, instances ${f.start} (${f.failures} failed, ${f.conflicts} conflicts, ${f.sdkCallsPerApply.toFixed(1)} SDK calls, peak ${f.peakRssMb} MB)`,
    samples: f.applies,
    medianMs: f.p50Ms,
    p99Ms: f.p99Ms,
    perSecond: f.decisionsPerSecond,
  }));
}

/** `--latency N` runs only that latency here (and `--json` prints its figures as one JSON line). */
async function cli(argv: string[]): Promise<void> {
  const at = argv.indexOf('--latency');
  if (at === -1) {
    await runConcurrencyBench();
    return;
  }
  const result = await runAtLatency(Number(argv[at + 1] ?? 0));
  if (argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    console.log(formatConcurrency(result.figures));
    for (const line of formatCeilings(result.figures, availableParallelism())) console.log(line);
  }
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
