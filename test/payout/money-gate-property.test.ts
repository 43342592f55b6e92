import fc from 'fast-check';
import { APPLICATIONS, type ApplicationDoc } from '../../server/loan/application-doc';
import { appealApplication } from '../../server/loan/borrower-actions';
import type { LoanDeps } from '../../server/loan/deps';
import { borrowerFlags } from '../../server/loan/money-gate';
import { setBlacklisted, setFrozen } from '../../server/ops/borrower-controls';
import type { Operator } from '../../server/ops/operator-auth';
import { decideApplication } from '../../server/ops/review-actions';
import { startPayoutAfterApproval, startPendingApprovals } from '../../server/payout/after-approval';
import { cancelPayout, retryPayout } from '../../server/payout/manage';
import { reconcilePayouts } from '../../server/payout/reconcile';
import { startPayoutForApplication } from '../../server/payout/start';
import { AppError } from '../../server/runtime/app-error';
import { memoryDeps } from '../loan/memory-fixtures';
import { seedApprovedLoan, startPayoutHarness, type PayoutHarness } from './harness';

/**
 * Issue 10's property, through the real SDK against the local backend: for random sequences of
 * freeze, unfreeze, blacklist, approve, reject, appeal, payout start, cancel, retry and reconcile,
 * no bill is ever created — and no application approved — for a borrower who was frozen or
 * blacklisted at that moment.
 */

const CONSOLE: Operator = { id: 'console', role: 'console' };
const COMMANDS = [
  'freeze',
  'unfreeze',
  'blacklist',
  'unblacklist',
  'approve',
  'reject',
  'appeal',
  'start',
  'cancel',
  'retryBorrower',
  'retryOperator',
  'reconcile',
] as const;
type Command = (typeof COMMANDS)[number];

let h: PayoutHarness;
let loan: LoanDeps;
let run = 0;

beforeAll(async () => {
  h = await startPayoutHarness();
  loan = memoryDeps({ store: h.docs, clock: { now: () => h.now() } } as unknown as Partial<LoanDeps>);
}, 120_000);
afterAll(async () => {
  await h.stop();
});

/** A verified borrower (own identity) with one application waiting for manual review. */
async function seed(): Promise<{ openid: string; loanId: string }> {
  run += 1;
  const idHash = `gate${process.pid}x${run}x${h.now().toString(36)}`.padEnd(64, '0');
  const { loanId, openid } = await seedApprovedLoan(h, 25_000, {
    status: 'manual_review',
    idHash,
    prefix: 'G',
  });
  return { openid, loanId };
}

/** Runs one command; refusals (AppError) are answers. */
async function perform(command: Command, openid: string, loanId: string): Promise<void> {
  const rt = h.runtime;
  const reason = '属性测试操作';
  const work: Record<Command, () => Promise<unknown>> = {
    freeze: () => setFrozen(loan, CONSOLE, openid, true, reason),
    unfreeze: () => setFrozen(loan, CONSOLE, openid, false, reason),
    blacklist: () => setBlacklisted(loan, CONSOLE, openid, true, reason),
    unblacklist: () => setBlacklisted(loan, CONSOLE, openid, false, reason),
    approve: async () => {
      await decideApplication(loan, CONSOLE, { applicationId: loanId, decision: 'approve', note: '通过' });
      await startPayoutAfterApproval(() => rt, loanId);
    },
    reject: () =>
      decideApplication(loan, CONSOLE, { applicationId: loanId, decision: 'reject', note: '拒绝' }),
    appeal: () => appealApplication(loan, openid, loanId, '请重新审核我的申请'),
    start: () => startPayoutForApplication(rt.deps, rt.docs, loanId, { id: 'console', type: 'operator' }),
    cancel: async () => {
      await cancelPayout(rt.deps, loanId, { id: 'console', type: 'operator' });
      await h.steps(2);
    },
    retryBorrower: () => retryPayout(rt.deps, loanId, { id: openid, type: 'borrower' }, false),
    retryOperator: () => retryPayout(rt.deps, loanId, { id: 'console', type: 'operator' }, true),
    reconcile: async () => {
      await startPendingApprovals(rt);
      await reconcilePayouts(rt.deps);
    },
  };
  try {
    await work[command]();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
}

test('no bill and no approval for a borrower frozen or blacklisted at that moment', async () => {
  const seed0 = Number(process.env.WXLEND_PROPERTY_SEED ?? Date.now() % 2_147_483_647);
  console.log(`[money-gate property] seed ${seed0} (rerun with WXLEND_PROPERTY_SEED=${seed0})`);
  let billsCreated = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom(...COMMANDS), { minLength: 3, maxLength: 10 }),
      async (commands) => {
        const { openid, loanId } = await seed();
        for (const command of commands) {
          const flags = await borrowerFlags((c, id) => h.docs.get(c, id), openid);
          const blocked = flags.frozen || flags.blacklisted;
          const bills = (await h.deps.store.get(loanId))?.bills.length ?? 0;
          const status = (await h.docs.get<ApplicationDoc>(APPLICATIONS, loanId))?.status;
          await perform(command, openid, loanId);
          const after = (await h.deps.store.get(loanId))?.bills.length ?? 0;
          const statusAfter = (await h.docs.get<ApplicationDoc>(APPLICATIONS, loanId))?.status;
          billsCreated += after - bills;
          if (blocked) {
            expect([command, after]).toEqual([command, bills]);
            if (statusAfter !== status) expect([command, statusAfter]).not.toEqual([command, 'approved']);
          }
        }
      },
    ),
    { numRuns: 25, seed: seed0 },
  );
  console.log(`[money-gate property] bills created across runs: ${billsCreated}`);
  // The property is not vacuous: unblocked sequences did create bills.
  expect(billsCreated).toBeGreaterThan(0);
}, 300_000);
