import { verifyAudit } from '../../server/audit/verify';
import type { SandboxBillListing } from '../../emulator/src/wechatpay';
import type { CrashStep } from '../../emulator/src/wechatpay/fault-plan';
import { startPayout } from '../../server/payout/engine';
import { payoutProgress } from '../../server/payout/progress';
import { checkLedger, reconcilePayouts, type ReconcileFinding } from '../../server/payout/reconcile';
import { refreshPayout } from '../../server/payout/settle';
import type { CrashPoint } from '../../server/payout/ports';
import { payoutRuntimeFromEnv, type PayoutRuntime } from '../../server/payout/wiring';
import { getDb } from '../../server/runtime/cloud';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import type { MerchantTransferConfirmation } from '../../typings/payout';
import { processHub, type ProcessHub } from './crash-hub/process-hub';
import { seedApprovedLoan, vouchersOf, type PayoutHarness } from './harness';

/**
 * Kill -9 of the whole backend at each step of confirm → transferring → success → notification →
 * our write, seeded and repeated on one data folder: after a restart and reconciliation, our record
 * equals WeChat's bill, the ledger verifies, and money moved exactly once.
 */

type Step = { kind: 'sandbox'; at: CrashStep } | { kind: 'function'; at: CrashPoint };
const STEPS: Step[] = [
  { kind: 'sandbox', at: 'confirm' },
  { kind: 'sandbox', at: 'transfering' },
  { kind: 'sandbox', at: 'success' },
  { kind: 'sandbox', at: 'notify' },
  { kind: 'function', at: 'payout.notify_before_write' },
  { kind: 'function', at: 'payout.notify_after_write' },
];
const BASE_SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
const REPEATS = Number(process.env.CRASH_REPEATS ?? 2);
const SYSTEM = { id: 'system:crash-test', type: 'system' } as const;

/** mulberry32: a small seeded generator, so a failing interleaving is replayed exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let hub: ProcessHub;
let runtime: PayoutRuntime;
let offset = 0;
const clock = { now: () => Date.now() + offset };
const findings: ReconcileFinding[] = [];

/** Moves the backend's clock (its scheduler runs what became due) and follows it here. */
async function step(ms = 1_100): Promise<void> {
  const answer = await hub.post<{ offsetMs: number }>('/_admin/clock', { advanceMs: ms });
  offset = answer.offsetMs;
}

async function sandboxBills(): Promise<SandboxBillListing[]> {
  return (await hub.get<{ bills: SandboxBillListing[] }>('/_admin/wechatpay/bills')).bills;
}

/** Refreshes a payout until the borrower is offered the confirmation. */
async function confirmationOf(loanId: string): Promise<MerchantTransferConfirmation | undefined> {
  for (let round = 0; round < 8; round++) {
    const doc = await refreshPayout(runtime.deps, loanId);
    if (!doc) throw new Error('payout vanished');
    const shown = payoutProgress(
      doc,
      doc.borrowerOpenid,
      runtime.deps.profile,
      runtime.deps.settings,
      clock.now(),
    );
    if (shown.confirmation) return shown.confirmation;
    if (doc.status === 'succeeded') return undefined;
    await step();
  }
  throw new Error(`no confirmation offered for ${loanId}`);
}

async function confirm(confirmation: MerchantTransferConfirmation): Promise<void> {
  await hub.post('/_user/wechatpay/merchant-transfer', { ...confirmation, action: 'confirm' });
}

async function reconcile(): Promise<void> {
  const report = await reconcilePayouts(runtime.deps);
  findings.push(...report.findings);
}

beforeAll(async () => {
  console.log(`crash-point seed ${BASE_SEED} (rerun: CRASH_SEED=${BASE_SEED} CRASH_REPEATS=${REPEATS})`);
  hub = await processHub();
  await hub.start();
  const env = await hub.get<Record<string, string>>('/_test/env');
  Object.assign(process.env, env);
  runtime = payoutRuntimeFromEnv(
    { ...process.env },
    { clock, docs: new SdkDocStore(getDb() as unknown as SdkDatabase) },
  );
}, 120_000);

afterAll(async () => {
  await hub?.dispose();
});

describe.each(Array.from({ length: REPEATS }, (_, r) => r))('repeat %i', (repeat) => {
  test.each(STEPS.map((s, i) => [`${s.kind} ${s.at}`, s, i] as const))(
    'kill -9 at %s, restart on the same data folder, reconcile: ours = WeChat, ledger verifies, paid once',
    async (_name, crash, index) => {
      const seed = BASE_SEED + repeat * 100 + index;
      const rand = random(seed);
      const h = { now: clock.now, docs: runtime.docs } as unknown as PayoutHarness;
      const count = 2 + Math.floor(rand() * 2);
      const loans = [];
      for (let i = 0; i < count; i++)
        loans.push(
          await seedApprovedLoan(h, 20_000 + 1_000 * Math.floor(rand() * 20), { prefix: `K${seed}x` }),
        );
      for (const loan of loans) await startPayout(runtime.deps, loan, SYSTEM);
      const offered = [];
      for (const loan of loans) offered.push({ loan, confirmation: await confirmationOf(loan.loanId) });

      if (crash.kind === 'sandbox')
        await hub.post('/_admin/wechatpay/faults', { target: 'crash', at: crash.at });
      else await hub.post('/_test/function-env', { WXLEND_CRASH_AT: crash.at, WXLEND_CRASH_MODE: 'kill' });
      // The borrowers confirm in a seeded order, the sandbox steps a seeded number of times between.
      const order = [...offered].sort(() => rand() - 0.5);
      const died = hub.died(60_000);
      let dead = false;
      void died.then(() => (dead = true));
      try {
        for (const { confirmation } of order) {
          if (confirmation) await confirm(confirmation);
          for (let n = Math.floor(rand() * 3); n > 0; n--) await step();
        }
        for (let n = 0; n < 6 && !dead; n++) await step();
      } catch {
        // The backend died under us (connection refused / reset): that is the point.
      }
      expect(await died).toBe('SIGKILL');

      await hub.start();
      for (let round = 0; round < 4; round++) {
        await step();
        await reconcile();
      }
      // Whoever had not confirmed yet (or whose confirmation died with the backend) confirms now.
      for (const { loan } of offered) {
        const confirmation = await confirmationOf(loan.loanId);
        if (confirmation) await confirm(confirmation);
      }
      for (let round = 0; round < 4; round++) {
        await step();
        await reconcile();
      }

      const bills = await sandboxBills();
      for (const { loan } of offered) {
        const doc = await runtime.deps.store.get(loan.loanId);
        if (!doc) throw new Error(`no payout for ${loan.loanId}`);
        const theirs = bills.filter((b) => doc.billNos.includes(b.bill.outBillNo));
        expect(doc.billNos).toHaveLength(1);
        expect(theirs).toHaveLength(1);
        const [ours] = doc.bills;
        const [wechat] = theirs;
        expect({ loan: loan.loanId, ours: ours?.phase }).toEqual({
          loan: loan.loanId,
          ours: wechat?.bill.state,
        });
        expect(wechat?.bill.state).toBe('SUCCESS');
        expect(doc.status).toBe('succeeded');
        // WeChat never holds a final state without its notification.
        expect(wechat?.notifications.map((n) => n.state)).toContain('SUCCESS');
        const booked = (await vouchersOf(h, loan.loanId)) as unknown as Array<{
          kind: string;
          amount: number;
        }>;
        expect(booked.filter((v) => v.kind === 'disbursement').map((v) => v.amount)).toEqual([loan.amount]);
      }
      expect(await checkLedger(runtime.deps)).toEqual([]);
      expect((await verifyAudit(runtime.docs)).ok).toBe(true);
      expect(findings.filter((f) => f.code === 'PAYOUT_STATE_DISAGREEMENT')).toEqual([]);
    },
    180_000,
  );
});
