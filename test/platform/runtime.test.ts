import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleFunctions, type BundleReport } from '../../emulator/src/functions/bundle';
import type { InvokeOptions } from '../../emulator/src/functions/api';
import type { FunctionsService } from '../../emulator/src/functions';
import { FUNCTION_NODE_VERSION } from '../../emulator/src/functions/node-runtime';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { PINNED_NODE, runBundle } from './runtime-smoke';

const ROOT = path.join(__dirname, '..', '..');

/** One smoke invocation per deployed function: a real round trip to the local backend's database. */
const SMOKES: Record<
  string,
  { event: unknown; trigger: Omit<InvokeOptions, 'name' | 'event'>; answer: Record<string, unknown> }
> = {
  identity: {
    event: { action: 'status' },
    trigger: { source: 'wx_client', openid: 'o-smoke-runtime' },
    answer: { ok: true, data: { verified: false } },
  },
  loan: {
    event: { action: 'list' },
    trigger: { source: 'wx_client', openid: 'o-smoke-runtime' },
    answer: { ok: true, data: [] },
  },
  review: { event: { action: 'sweep' }, trigger: { source: 'scf' }, answer: { ok: true } },
  ops: { event: { action: 'queue' }, trigger: { source: 'scf' }, answer: { ok: true, data: { items: [] } } },
  notify: {
    event: { Type: 'Timer', TriggerName: 'deliverEveryMinute' },
    trigger: { source: 'wx_trigger' },
    answer: { ok: true },
  },
  payout: {
    event: { action: 'progress', loanId: 'loan-smoke-missing' },
    trigger: { source: 'wx_client', openid: 'o-smoke-runtime' },
    answer: { ok: false, error: { code: 'PAYOUT_NOT_FOUND' } },
  },
  payNotify: {
    event: { httpMethod: 'POST', headers: {}, body: '{}', isBase64Encoded: false },
    trigger: { source: 'wx_http' },
    answer: { statusCode: 401 },
  },
  reconcile: {
    event: { Type: 'Timer', TriggerName: 'reconcileEvery10Minutes' },
    trigger: { source: 'wx_trigger' },
    answer: { examined: 0, findings: 0 },
  },
  repayment: {
    event: { action: 'schedule', loanId: 'loan-smoke-missing' },
    trigger: { source: 'wx_client', openid: 'o-smoke-runtime' },
    answer: { ok: false, error: { code: 'REPAYMENT_NOT_FOUND' } },
  },
  repaymentOps: {
    event: { action: 'repaymentOverdueList' },
    trigger: { source: 'scf' },
    answer: { ok: true },
  },
  repaymentDaily: {
    event: { Type: 'Timer', TriggerName: 'overdueDaily' },
    trigger: { source: 'wx_trigger' },
    answer: { examined: 0, changed: 0, becameOverdue: 0, reminders: { due: 0, queued: 0 } },
  },
  repaymentReconcile: {
    event: { Type: 'Timer', TriggerName: 'repaymentReconcileEvery10Minutes' },
    trigger: { source: 'wx_trigger' },
    answer: { examined: 0, applied: 0, closed: 0, refunded: 0 },
  },
  repaymentResult: {
    event: { outTradeNo: 'smoke-missing' },
    trigger: { source: 'wx_client', openid: 'o-smoke-runtime' },
    // Not from cloudPay: refused.
    answer: { errcode: 1 },
  },
  workbench: {
    event: { httpMethod: 'POST', path: '/workbench/me', headers: {}, body: '{}', isBase64Encoded: false },
    trigger: { source: 'wx_http' },
    answer: { statusCode: 401 },
  },
  workbenchRepayment: {
    event: {
      httpMethod: 'POST',
      path: '/workbench/repayment/ops',
      headers: {},
      body: '{"action":"repaymentOverdueList"}',
      isBase64Encoded: false,
    },
    trigger: { source: 'wx_http' },
    answer: { statusCode: 401 },
  },
  workbenchRights: {
    event: {
      httpMethod: 'POST',
      path: '/workbench/rights/ops',
      headers: {},
      body: '{"action":"identityRequests"}',
      isBase64Encoded: false,
    },
    trigger: { source: 'wx_http' },
    answer: { statusCode: 401 },
  },
};

describe(`every built bundle runs on the declared runtime (Node ${FUNCTION_NODE_VERSION})`, () => {
  let emu: TestEmulator;
  let functions: FunctionsService;
  let outDir: string;
  let report: BundleReport;

  beforeAll(async () => {
    emu = await startTestEmulator();
    functions = emu.hub.service<FunctionsService>('functions');
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-runtime-'));
    report = await bundleFunctions({
      functionsDir: path.join(ROOT, 'cloudfunctions'),
      outDir,
      projectRoot: ROOT,
    });
    const fixtures = await Promise.all(
      [
        path.join(ROOT, 'test', 'wechatpay', 'fixtures', 'cloudfunctions'),
        path.join(__dirname, 'fixtures'),
      ].map((functionsDir) => bundleFunctions({ functionsDir, outDir, projectRoot: ROOT })),
    );
    for (const extra of fixtures) expect(extra.failed).toEqual([]);
  }, 120_000);
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  /** The environment the local backend gives `name`, run under the pinned Node. */
  function run(bundle: string, envOf: string, smoke: (typeof SMOKES)[string]) {
    const env = functions.environmentFor({ name: envOf, event: smoke.event, ...smoke.trigger });
    if (!env) throw new Error(`the local backend has no function ${envOf}`);
    return runBundle({ bundleDir: path.join(outDir, bundle), event: smoke.event, env });
  }

  test('the pinned binary is exactly the declared release', async () => {
    expect(fs.existsSync(PINNED_NODE)).toBe(true);
    expect(report.failed).toEqual([]);
    expect(report.built.map((fn) => fn.name).sort()).toEqual(Object.keys(SMOKES).sort());
  });

  test.each(Object.keys(SMOKES))('%s answers a smoke invocation under the pinned Node', async (name) => {
    const smoke = SMOKES[name]!;
    const outcome = await run(name, name, smoke);
    expect(outcome.stderr).not.toMatch(/TypeError|ReferenceError|SyntaxError/);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.node).toBe(`v${FUNCTION_NODE_VERSION}`);
    expect(JSON.stringify(outcome.result)).not.toMatch(/INTERNAL_ERROR|FUNCTION_EXECUTE_FAIL/);
    expect(outcome.result).toMatchObject(smoke.answer);
  });

  test('the payout HTTPS client (global fetch, AbortSignal.timeout, signing) creates a sandbox bill', async () => {
    const outcome = await run('wechatpayTransfer', 'payout', {
      event: { outBillNo: 'RUNTIME20190001', openid: 'o-smoke-runtime' },
      trigger: { source: 'wx_trigger' },
      answer: {},
    });
    expect(outcome.stderr).toBe('');
    expect(outcome).toMatchObject({ exitCode: 0, node: `v${FUNCTION_NODE_VERSION}` });
    expect(outcome.result).toMatchObject({ state: 'ACCEPTED', hasPackage: true });
  });

  test('a bundle calling an API the runtime lacks (Object.groupBy) is caught', async () => {
    const smoke = { event: { kinds: ['a', 'b', 'a'] }, trigger: { source: 'scf' }, answer: {} };
    const outcome = await run('usesMissingApi', 'loan', smoke);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/TypeError: Object\.groupBy is not a function/);
  });
});
