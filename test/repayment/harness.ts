import cloud from 'wx-server-sdk';
import type { CloudPayService } from '../../emulator/src/cloudpay/service';
import type { FunctionsService } from '../../emulator/src/functions';
import type { StoredDoc } from '../../server/storage/doc-store';
import { retryingOnConflict } from '../../server/storage/conflict-retry';
import type { DocStore } from '../../server/storage/doc-store';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../../server/loan/application-doc';
import { loanTxHooks } from '../../server/payout/loan-hooks';
import {
  REPAYMENT_COLLECTIONS,
  type RepaymentOrderDoc,
  type RepaymentPlanDoc,
} from '../../server/repayment/plan-doc';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import type { RepaymentDeps } from '../../server/repayment/deps';
import { getDb } from '../../server/runtime/cloud';
import type { ApiResult } from '../../typings/api';
import { startTestEmulator, useEmulatorEnv, type TestEmulator } from '../helpers/emulator';
import { landingApplication } from './fixtures';

/** The sub-merchant the tests collect with. */
export const SUB_MCH_ID = '1900000109';

/** The whole local backend with every project function, plus in-process repayment deps on the same data. */
export interface RepaymentHarness {
  emu: TestEmulator;
  docs: DocStore;
  deps: RepaymentDeps;
  cloudpay: CloudPayService;
  functionEnv: Record<string, string>;
  now(): number;
  /** Moves the one clock and runs whatever became due. */
  advance(ms: number): Promise<void>;
  setClock(epochMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the backend with the repayment functions bundled. */
export async function startRepaymentHarness(): Promise<RepaymentHarness> {
  const emu = await startTestEmulator();
  const functions = emu.hub.service<FunctionsService>('functions');
  const failures = functions
    .bundleFailures()
    .filter((f) => ['repayment', 'repaymentResult'].includes(f.name));
  if (failures.length) throw new Error(`bundle failures: ${JSON.stringify(failures)}`);
  const functionEnv: Record<string, string> = { WXLEND_COLLECTION_SUB_MCH_ID: SUB_MCH_ID };
  functions.contributeEnv(() => ({ ...functionEnv }));
  useEmulatorEnv(emu);
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const docs = retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase));
  const clock = { now: () => emu.hub.clock.now() };
  const deps = repaymentDepsFromEnv({ ...process.env, ...functionEnv }, { clock, docs });
  return {
    emu,
    docs,
    deps,
    cloudpay: emu.hub.service<CloudPayService>('cloudpay'),
    functionEnv,
    now: () => emu.hub.clock.now(),
    advance: async (ms) => {
      await emu.hub.clock.advance(ms);
      await emu.hub.scheduler.drain();
    },
    setClock: async (epochMs) => {
      await emu.hub.clock.set(epochMs);
      await emu.hub.scheduler.drain();
    },
    stop: () => emu.stop(),
  };
}

let counter = 0;

/**
 * A loan whose money has just landed: borrower and application seeded as the loan domain leaves
 * them, then the payout's own hook moves it to `disbursed` (which fixes the plan and moves on to
 * `repaying`) in one transaction, exactly as a SUCCESS notification does.
 */
export async function disbursedLoan(
  h: { docs: DocStore; now(): number },
  terms: Parameters<typeof landingApplication>[3] = {},
  borrowerOpenid?: string,
): Promise<{ loanId: string; openid: string }> {
  counter += 1;
  const loanId = `R${process.pid}x${counter}`;
  const openid = borrowerOpenid ?? `o-borrower-${loanId}`;
  const at = h.now();
  const borrower: BorrowerDoc & StoredDoc = {
    _id: openid,
    frozen: false,
    activeApplicationId: loanId,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await h.docs.transact(async (tx) => {
    const existing = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, openid);
    await tx.put(
      BORROWERS,
      existing ? { ...existing, activeApplicationId: loanId, version: existing.version + 1 } : borrower,
    );
    await tx.put(APPLICATIONS, landingApplication(loanId, openid, at, terms));
  });
  await h.docs.transact((tx) =>
    loanTxHooks.moveLoan(
      tx,
      loanId,
      'disbursed',
      '借款已到账微信零钱',
      { id: 'system:payout', type: 'system' },
      at,
    ),
  );
  return { loanId, openid };
}

/** Calls a function through the client gateway as the mini-program user `openid` (SOURCE wx_client). */
export async function callAs<T>(
  h: RepaymentHarness,
  openid: string,
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  const response = await fetch(`${h.emu.baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid, 'x-wx-clientip': '203.0.113.9' },
    body: JSON.stringify({ name, data }),
  });
  const body = (await response.json()) as { result?: ApiResult<T>; errMsg?: string };
  if (!body.result) throw new Error(`callFunction ${name}: ${response.status} ${body.errMsg ?? ''}`);
  return body.result;
}

/** The borrower finishing `wx.requestPayment` (the local backend plays the payer), then callbacks run. */
export async function payAsBorrower(
  h: RepaymentHarness,
  openid: string,
  pkg: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${h.emu.baseUrl}/_user/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, package: pkg }),
  });
  const body = await response.json();
  await h.emu.hub.scheduler.drain();
  return { status: response.status, body };
}

/** The stored plan. */
export async function planOf(h: RepaymentHarness, loanId: string): Promise<RepaymentPlanDoc> {
  const plan = await h.docs.get<RepaymentPlanDoc>(REPAYMENT_COLLECTIONS.plans, loanId);
  if (!plan) throw new Error(`no plan for ${loanId}`);
  return plan;
}

/** The stored order. */
export async function orderOf(
  h: RepaymentHarness,
  outTradeNo: string,
): Promise<RepaymentOrderDoc | undefined> {
  return h.docs.get<RepaymentOrderDoc>(REPAYMENT_COLLECTIONS.orders, outTradeNo);
}

/** The stored application. */
export async function loanOf(h: RepaymentHarness, loanId: string): Promise<ApplicationDoc> {
  const app = await h.docs.get<ApplicationDoc>(APPLICATIONS, loanId);
  if (!app) throw new Error(`no application ${loanId}`);
  return app;
}
