import { databaseService, type DatabaseService } from '../../emulator/src/database';
import { functionsService, type FunctionsService } from '../../emulator/src/functions';
import type { HttpAccessService } from '../../emulator/src/http-access/service';
import { serviceFactories } from '../../emulator/src/services';
import { timerService, type TimerService } from '../../emulator/src/timers/service';
import type { ServiceFactory } from '../../emulator/src/service';
import { wechatPaySandboxFactory, type WechatPaySandbox } from '../../emulator/src/wechatpay';
import type { FaultSpecInput } from '../../emulator/src/wechatpay/fault-plan';
import { AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION } from '../../server/audit/audit-log';
import { verifyAudit as verifyChain } from '../../server/audit/verify';
import type { DocStore, StoredDoc } from '../../server/storage/doc-store';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import { pendingAuditRecords } from '../../server/audit/pending';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../../server/loan/application-doc';
import { OUTBOX } from '../../server/outbox/outbox-doc';
import { checkLedger, reconcilePayouts } from '../../server/payout/reconcile';
import { sendCreate } from '../../server/payout/engine';
import { refreshPayout } from '../../server/payout/settle';
import { payoutProgress } from '../../server/payout/progress';
import { PAYOUT_COLLECTIONS } from '../../server/payout/collections';
import { currentBill, type PayoutDoc } from '../../server/payout/payout-doc';
import type { PayoutDeps } from '../../server/payout/ports';
import { payoutRuntimeFromEnv, type PayoutRuntime } from '../../server/payout/wiring';
import { getDb } from '../../server/runtime/cloud';
import type { Fen } from '../../typings/money';
import { serverEnvOf, startTestEmulator, type TestEmulator } from '../helpers/emulator';

/** Collections other domains declare that payout tests write through (created if not yet declared). */
const FOREIGN_COLLECTIONS = [APPLICATIONS, BORROWERS, AUDIT_COLLECTION, AUDIT_HEAD_COLLECTION, OUTBOX];

/** The emulator with database, functions, HTTP access and the WeChat Pay sandbox, plus an in-process payout runtime. */
export interface PayoutHarness {
  emu: TestEmulator;
  sandbox: WechatPaySandbox;
  functions: FunctionsService;
  /** The payout domain running in the test process against the same backend. */
  runtime: PayoutRuntime;
  deps: PayoutDeps;
  docs: DocStore;
  /** Environment contributed to every function invocation (crash injection). */
  functionEnv: Record<string, string>;
  now(): number;
  advance(ms: number): Promise<void>;
  /** Lets the sandbox take `n` of its timed steps (each ≤ 1 s apart after the previous one). */
  steps(n: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Factories in start order: database, functions, the rest, and the sandbox (whatever services.ts
 * already lists). Timers only when asked: the emulator clock follows real time, so a 10-minute tick
 * could otherwise start a test's freshly approved loan behind its back.
 */
function factories(timers: boolean): ServiceFactory[] {
  const rest = serviceFactories.filter(
    (f) =>
      f !== databaseService &&
      f !== functionsService &&
      f !== wechatPaySandboxFactory &&
      (timers || f !== timerService),
  );
  return [databaseService, functionsService, ...rest, wechatPaySandboxFactory];
}

/** Starts the backend and wires the payout runtime to it. */
export async function startPayoutHarness(
  envOverrides: Record<string, string> = {},
  options: { timers?: boolean } = {},
): Promise<PayoutHarness> {
  const emu = await startTestEmulator({}, { factories: factories(options.timers ?? false) });
  const hub = emu.hub;
  const database = hub.service<DatabaseService>('database');
  for (const name of FOREIGN_COLLECTIONS) database.createCollection(name);
  const http = hub.service<HttpAccessService>('http-access');
  if (!http.list().some((r) => r.path === '/payNotify'))
    http.addRoute({ path: '/payNotify', function: 'payNotify' });
  // A day-long clock jump replays one reconcile tick, not 144 (tests jump the clock a lot).
  if (options.timers) hub.service<TimerService>('timers').catchUpLimit = 1;
  const functions = hub.service<FunctionsService>('functions');
  const functionEnv: Record<string, string> = { ...envOverrides };
  functions.contributeEnv(() => ({ ...functionEnv }));
  Object.assign(process.env, serverEnvOf(hub));
  const sandbox = hub.service<WechatPaySandbox>('wechatpay');
  const clock = { now: () => hub.clock.now() };
  const docs = new SdkDocStore(getDb() as unknown as SdkDatabase);
  const env = { ...process.env, ...sandbox.functionEnv(), ...envOverrides };
  const runtime = payoutRuntimeFromEnv(env, { clock, docs });
  return {
    emu,
    sandbox,
    functions,
    runtime,
    deps: runtime.deps,
    docs,
    functionEnv,
    now: () => hub.clock.now(),
    advance: async (ms) => {
      await hub.clock.advance(ms);
      await hub.scheduler.drain();
    },
    steps: async (n) => {
      for (let i = 0; i < n; i++) {
        await hub.clock.advance(1_100);
        await hub.scheduler.drain();
      }
    },
    stop: () => emu.stop(),
  };
}

let loanCounter = 0;

/**
 * Seeds a borrower and an application in `approved`, as the loan domain leaves it after approval;
 * `status` and `idHash` (then also the borrower's verified identity) may be chosen.
 */
export async function seedApprovedLoan(
  h: PayoutHarness,
  amount = 30_000,
  options: { status?: string; idHash?: string; prefix?: string } = {},
): Promise<{ loanId: string; openid: string; borrowerOpenid: string; amount: Fen }> {
  loanCounter += 1;
  const loanId = `${options.prefix ?? 'L'}${process.pid}x${loanCounter}x${h.now().toString(36)}`;
  const status = options.status ?? 'approved';
  const openid = `o-payee-${loanId}`;
  const at = h.now();
  const borrower: BorrowerDoc & StoredDoc = {
    _id: openid,
    frozen: false,
    activeApplicationId: loanId,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...(options.idHash ? { identity: { idHash: options.idHash } as BorrowerDoc['identity'] } : {}),
  };
  const app = {
    _id: loanId,
    openid,
    status,
    version: 3,
    amount: amount as Fen,
    termMonths: 3,
    method: 'equal_instalment',
    purpose: '日常消费',
    aprBps: 1200,
    deviceHash: 'd'.repeat(64),
    idHash: options.idHash ?? 'i'.repeat(64),
    consent: { version: 'v1', textSha256: 'a'.repeat(64), at, clientIp: null, signer: openid },
    requestId: `req-${loanId}`,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status, note: status === 'approved' ? '审核通过' : '人工审核中' }],
  } as unknown as ApplicationDoc;
  await h.docs.transact(async (tx) => {
    await tx.put(BORROWERS, borrower);
    await tx.put(APPLICATIONS, app);
  });
  return { loanId, openid, borrowerOpenid: openid, amount: amount as Fen };
}

/** The borrower's client confirming receipt (`wx.requestMerchantTransfer`) through the sandbox's user endpoint. */
export async function confirmReceipt(
  h: PayoutHarness,
  confirmation: { mchId: string; appId: string; package: string; openId: string },
  action: 'confirm' | 'close' = 'confirm',
): Promise<{ status: number; body: { errMsg: string; code?: string } }> {
  const response = await fetch(`${h.emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...confirmation, action }),
  });
  return { status: response.status, body: (await response.json()) as { errMsg: string; code?: string } };
}

/** Scripts a sandbox fault. */
export function fault(h: PayoutHarness, spec: FaultSpecInput): void {
  h.sandbox.addFault(spec);
}

/** A payout as stored. */
export async function payoutOf(h: PayoutHarness, loanId: string): Promise<PayoutDoc> {
  const doc = await h.deps.store.get(loanId);
  if (!doc) throw new Error(`no payout for ${loanId}`);
  return doc;
}

/** The application as stored. */
export async function applicationOf(h: PayoutHarness, loanId: string): Promise<ApplicationDoc> {
  const app = await h.docs.get<ApplicationDoc>(APPLICATIONS, loanId);
  if (!app) throw new Error(`no application ${loanId}`);
  return app;
}

/** Sandbox bills of a loan's payout (by our bill numbers). */
export function sandboxBillsOf(h: PayoutHarness, doc: PayoutDoc) {
  return h.sandbox.listBills().filter((l) => doc.billNos.includes(l.bill.outBillNo));
}

/**
 * The invariants of reliability-plan.md for one loan: at most one SUCCESS (ours and WeChat's), amount
 * exact, a later bill number only after the earlier was confirmed FAIL/CANCELLED, our record never
 * claims more than WeChat, ledger and audit chains verify.
 */
export async function assertPayoutInvariants(h: PayoutHarness, loanId: string): Promise<PayoutDoc> {
  const doc = await payoutOf(h, loanId);
  const wechat = sandboxBillsOf(h, doc);
  const successes = wechat.filter((l) => l.bill.state === 'SUCCESS');
  expect(successes.length).toBeLessThanOrEqual(1);
  expect(doc.bills.filter((b) => b.phase === 'SUCCESS').length).toBeLessThanOrEqual(1);
  for (const bill of doc.bills) {
    expect(Number.isSafeInteger(bill.amount)).toBe(true);
    expect(bill.amount).toBe(doc.amount);
    expect(bill.request.transfer_amount).toBe(doc.amount);
  }
  for (const l of wechat) expect(l.bill.transferAmount).toBe(doc.amount);
  doc.bills.slice(0, -1).forEach((bill) => {
    expect(['FAIL', 'CANCELLED']).toContain(bill.phase);
    const w = wechat.find((l) => l.bill.outBillNo === bill.outBillNo);
    if (w) expect(['FAIL', 'CANCELLED']).toContain(w.bill.state);
  });
  for (const bill of doc.bills) {
    const w = wechat.find((l) => l.bill.outBillNo === bill.outBillNo);
    if (bill.phase === 'SUCCESS' || bill.phase === 'FAIL' || bill.phase === 'CANCELLED')
      expect(w?.bill.state).toBe(bill.phase);
  }
  expect(await checkLedger(h.deps)).toEqual([]);
  expect((await verifyChain(h.docs)).ok).toBe(true);
  // Every bill phase change has exactly one audit record.
  const recorded = await h.docs.find<
    StoredDoc & { entry: { event: string; details: { outBillNo?: string; to?: string } } }
  >(AUDIT_COLLECTION, { 'entry.subject': `payout:${loanId}` } as never, { limit: 1000 });
  // Records of a change written without a transaction wait in the payout document (verified like logged ones).
  const waiting = pendingAuditRecords(doc as unknown as StoredDoc) as unknown as typeof recorded;
  const transitions = [...recorded, ...waiting].filter((r) => r.entry.event.startsWith('payout.bill.'));
  const history = doc.bills.flatMap((b) => b.history.map((e) => `${b.outBillNo}:${e.to}`));
  expect(transitions.map((r) => `${r.entry.details.outBillNo}:${r.entry.details.to}`).sort()).toEqual(
    history.sort(),
  );
  return doc;
}

/** Every ledger voucher. */
export async function vouchersOf(h: PayoutHarness, loanId: string) {
  return h.docs.find(PAYOUT_COLLECTIONS.ledgerVouchers, { loanId }, { limit: 100 });
}

/** Outbox messages queued for a loan. */
export async function outboxOf(h: PayoutHarness, loanId: string) {
  return h.docs.find<StoredDoc & { status: string }>(OUTBOX, { applicationId: loanId }, { limit: 100 });
}

/** Runs the reconciler in the test process (the `reconcile` function runs the same code). */
export function reconcileNow(h: PayoutHarness) {
  return reconcilePayouts(h.deps);
}

/**
 * Plays the borrower until the money arrives: refreshes the payout, confirms receipt as soon as the
 * payee is offered the confirmation, lets the sandbox settle and deliver its notification, and asks
 * for progress once more as the progress page does (which books what the notification recorded).
 */
export async function driveToSuccess(h: PayoutHarness, loanId: string): Promise<PayoutDoc> {
  for (let round = 0; round < 8; round++) {
    const doc = await refreshPayout(h.deps, loanId);
    if (!doc) throw new Error('payout vanished');
    const progress = payoutProgress(doc, doc.borrowerOpenid, h.deps.profile, h.deps.settings, h.now());
    if (progress.stage === 'disbursed') return doc;
    if (progress.confirmation) {
      const answer = await confirmReceipt(h, progress.confirmation);
      if (answer.status !== 200) throw new Error(`confirm refused: ${answer.body.code ?? answer.status}`);
      await h.steps(3);
      return (await refreshPayout(h.deps, loanId)) ?? payoutOf(h, loanId);
    }
    const bill = currentBill(doc);
    if (bill.phase === 'WAIT_USER_CONFIRM' && !bill.packageInfo) await sendCreate(h.deps, loanId);
    await h.steps(1);
  }
  throw new Error('payout did not reach the borrower');
}
