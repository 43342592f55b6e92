import { performance } from 'node:perf_hooks';
import { bulkInsertDocuments, type DatabaseService } from '../emulator/src/database';
import type { FunctionsService } from '../emulator/src/functions';
import { serviceFactories } from '../emulator/src/services';
import { timerService } from '../emulator/src/timers/service';
import { overrideId, IDENTITY_COLLECTIONS } from '../server/identity/records';
import { decideApplication } from '../server/risk/decide';
import type { RiskInputs } from '../server/risk/inputs';
import { DEFAULT_RISK_POLICY } from '../server/risk/policy';
import { CLEAN_RISK_INPUTS } from '../test/risk/risk-inputs';
import { TEST_CREDIT_FILES } from '../emulator/src/bureau/test-files';
import type { ApiResult } from '../typings/api';
import type { TestEmulator } from '../test/helpers/emulator';
import { signedConsent } from '../test/helpers/signed-consent';
import { IDS } from '../test/loan/memory-fixtures';
import { verifyBorrower } from '../test/loan/emulator-harness';
import { startBenchHub } from './fresh-hub';
import { formatTable, percentile, type BenchRow } from './lib/stats';

const SUITE_SCORING = 'scoring';
const SUITE_APPLY = 'apply';
/** Decisions scored in-process. */
const DECISIONS = 200_000;
/** Fresh borrowers applying through the local backend. */
const APPLY_SAMPLES = Number(process.env.WXLEND_BENCH_APPLY_SAMPLES ?? 30);
/** Applications per identity per month are capped by AML: each sample starts a month later. */
const MONTH_AND_A_BIT_MS = 32 * 86_400_000;

/** The scoring policy alone: decisions per second over the documented credit files, in this process. */
function scoringRow(): BenchRow {
  const base: RiskInputs = CLEAN_RISK_INPUTS;
  const inputs = [...TEST_CREDIT_FILES.map((file) => ({ ...base, credit: file.profile })), base];
  let outcomes = 0;
  const started = performance.now();
  for (let i = 0; i < DECISIONS; i += 1) {
    const decision = decideApplication(inputs[i % inputs.length] ?? base, DEFAULT_RISK_POLICY, i);
    if (decision.outcome) outcomes += 1;
  }
  const elapsed = performance.now() - started;
  if (outcomes !== DECISIONS) throw new Error('a decision had no outcome');
  return {
    suite: SUITE_SCORING,
    name: 'decideApplication in-process',
    samples: DECISIONS,
    perSecond: (DECISIONS * 1000) / elapsed,
  };
}

/** `loan.apply` as a mini-program user from a given client IP. */
async function applyAs(
  baseUrl: string,
  openid: string,
  clientIp: string,
  data: Record<string, unknown>,
): Promise<ApiResult<{ applicationId: string; application: { status: string } }>> {
  const response = await fetch(`${baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid, 'x-wx-clientip': clientIp },
    body: JSON.stringify({ name: 'loan', data }),
  });
  const body = (await response.json()) as {
    result?: ApiResult<{ applicationId: string; application: { status: string } }>;
    errMsg?: string;
  };
  if (!response.ok || !body.result)
    throw new Error(`callFunction loan failed: ${response.status} ${body.errMsg ?? ''}`);
  return body.result;
}

/**
 * `apply` → stored decision through the local backend. Every sample is a fresh borrower holding the
 * documented approve identity: the first verifies normally; later ones verify under an operator's
 * identity override (seeded, as the ops console would write it), from their own device and IP, a
 * month after the previous sample so the per-identity AML caps do not turn them into reviews.
 */
async function applyRow(): Promise<{ row: BenchRow; outcomes: Record<string, number> }> {
  const bench = await startBenchHub(serviceFactories.filter((f) => f !== timerService));
  const emu = { hub: bench.hub, baseUrl: bench.hub.baseUrl } as TestEmulator;
  try {
    const functions = bench.hub.service<FunctionsService>('functions');
    const failures = functions.bundleFailures().filter((f) => ['loan', 'identity'].includes(f.name));
    if (failures.length) throw new Error(`bundle failures: ${JSON.stringify(failures)}`);
    functions.contributeEnv(() => ({ WXLEND_IDENTITY_VERIFIER: 'ocr_phone' }));
    Object.assign(process.env, bench.hub.sdkEnv());
    const store = bench.hub.service<DatabaseService>('database').engine.store;
    const person = { name: '张三', idNumber: IDS.approve, phone: '13800000001' };
    let idHash = '';
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    const warmup = 2;
    for (let i = -warmup; i < APPLY_SAMPLES; i += 1) {
      const n = i + warmup;
      const openid = `o-bench-apply-${n}`;
      if (idHash)
        bulkInsertDocuments(bench.hub, IDENTITY_COLLECTIONS.overrides, [
          {
            _id: overrideId(idHash, openid),
            idHash,
            openid,
            operatorId: 'o-bench-operator',
            reason: 'benchmark borrower',
            createdAt: bench.hub.clock.now(),
          },
        ]);
      await verifyBorrower(emu, openid, person);
      // Drain the scan fully: an unfinished SQLite iterator would keep the connection busy.
      if (!idHash) idHash = String([...store.scan(IDENTITY_COLLECTIONS.index)][0]?._id ?? '');
      // The agreement the page was served for this loan (computed here: quoting is not part of apply's figure).
      const consent = signedConsent(20_000, 6, 'equal_instalment', bench.hub.clock.now());
      const begun = performance.now();
      const answer = await applyAs(emu.baseUrl, openid, `198.51.${Math.floor(n / 250)}.${(n % 250) + 1}`, {
        action: 'apply',
        requestId: `req-bench-${n}`,
        amount: 20_000,
        termMonths: 6,
        method: 'equal_instalment',
        purpose: 'consumption',
        deviceFingerprint: `bench-device-${n}`,
        consent,
      });
      const elapsed = performance.now() - begun;
      if (!answer.ok) throw new Error(`apply refused: ${answer.error.code}`);
      const stored = [...store.scan('loanApplications')].find((d) => d._id === answer.data.applicationId) as
        { decision?: { outcome: string }; status: string } | undefined;
      if (!stored?.decision) throw new Error('apply answered before a decision was stored');
      if (i >= 0) {
        latencies.push(elapsed);
        // The automated decision, not the status: an approved loan may already have moved on to payout.
        const key = `${stored.decision.outcome}→${stored.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
      await bench.hub.clock.advance(MONTH_AND_A_BIT_MS);
      await bench.hub.scheduler.drain();
    }
    latencies.sort((a, b) => a - b);
    const total = latencies.reduce((s, v) => s + v, 0);
    return {
      row: {
        suite: SUITE_APPLY,
        name: 'apply → stored decision (fresh borrower)',
        samples: latencies.length,
        medianMs: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        perSecond: (latencies.length * 1000) / total,
      },
      outcomes,
    };
  } finally {
    await bench.stop();
  }
}

/** Scoring throughput and apply latency; prints the apply outcomes so a drift to review is visible. */
export async function runLendingBench(): Promise<BenchRow[]> {
  process.env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const scoring = scoringRow();
  const { row, outcomes } = await applyRow();
  console.log(`[bench] apply decision→status now: ${JSON.stringify(outcomes)}`);
  return [scoring, row];
}

if (require.main === module) {
  runLendingBench()
    .then((rows) => console.log(formatTable(rows)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
