import { advanceClock, pause } from './http';
import { decideIfQueued, refreshStatus, reviewIfPending, verifyAndApply, type JourneyState } from './journey';
import { seedOperators } from './operators';
import { billFaultFor, confirmAndSettle, injectFault, type InjectedFault } from './payout';
import { ProgressBar } from './progress-bar';
import { runRepayments, type RepaymentOutcome } from './repayment';
import { EXPECTED_STATUS, makeBorrowers } from './scenarios';

/** Options of one demo run. */
export interface DemoOptions {
  /** Backend base URL (`http://127.0.0.1:PORT`); the console SDK must already point at it. */
  baseUrl: string;
  /** How many synthetic borrowers. */
  borrowers: number;
  /** Borrowers verified/applied/reviewed at the same time. */
  concurrency?: number;
  /** Draws the progress bar (stderr); off in tests. */
  showProgress?: boolean;
}

/** What happened to one borrower. */
export interface BorrowerOutcome {
  index: number;
  openid: string;
  scenario: string;
  expected: string;
  appliedStatus: string;
  finalStatus: string;
  journeyMs: number;
  note?: string;
}

/** The result of a run. */
export interface DemoResult {
  outcomes: BorrowerOutcome[];
  faults: InjectedFault[];
  medianJourneyMs: number;
  /** Repayments of the disbursed loans: one early settlement, one overdue, the rest on time. */
  repayments: RepaymentOutcome[];
}

/** Statuses after which the demo stops following a loan. */
const FINAL = new Set([
  'repaying',
  'disbursed',
  'rejected',
  'disbursement_failed',
  'cancelled',
  'appeal_denied',
]);

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/** Runs one step of a journey, recording a failure on the borrower instead of ending the run. */
async function guarded(state: JourneyState, step: () => Promise<void>): Promise<void> {
  if (state.failed) return;
  try {
    await step();
  } catch (error) {
    state.failed = true;
    state.note = error instanceof Error ? error.message : String(error);
    state.endedAt = Date.now();
  }
}

/** Marks the journey ended if its status is final. */
function markIfFinal(state: JourneyState): void {
  if (!state.endedAt && state.status && FINAL.has(state.status)) state.endedAt = Date.now();
}

/** The median of a list of numbers (0 for none). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Drives every borrower through verify → apply → (operator decision) → payout → confirmation →
 * final state, only through the client gateway, the `/_user/*` device routes, console calls and the
 * clock. Payout confirmations run one at a time so each scripted fault hits the intended bill.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { baseUrl } = options;
  const runTag = Date.now().toString(36).slice(-5);
  const borrowers = makeBorrowers(options.borrowers, runTag);
  const states: JourneyState[] = borrowers.map((borrower) => ({ borrower, startedAt: Date.now() }));
  const bar = options.showProgress ? new ProgressBar(states.length * 3) : null;
  const faults: InjectedFault[] = [];
  const concurrency = options.concurrency ?? 3;

  await seedOperators();
  bar?.draw('verify + apply');
  await pool(states, concurrency, async (state) => {
    state.startedAt = Date.now();
    await guarded(state, () => verifyAndApply(baseUrl, state));
    await guarded(state, () => reviewIfPending(baseUrl, state));
    markIfFinal(state);
    bar?.tick('verify + apply');
  });
  // Payouts start as soon as an operator approves, and a settle fault binds to the next bill
  // created: applications with such a fault are decided one at a time after the others.
  const withBillFault = (state: JourneyState) =>
    state.status === 'manual_review' && billFaultFor(state.borrower) !== null;
  await pool(
    states.filter((state) => !withBillFault(state)),
    concurrency,
    async (state) => {
      await guarded(state, () => decideIfQueued(baseUrl, state));
      markIfFinal(state);
      bar?.tick('operator review');
    },
  );
  for (const state of states.filter(withBillFault)) {
    await guarded(state, async () => {
      const fault = billFaultFor(state.borrower);
      if (fault) await injectFault(baseUrl, state.borrower, fault, faults);
      await decideIfQueued(baseUrl, state);
    });
    markIfFinal(state);
    bar?.tick('operator review');
  }
  // Approvals made by the automated review are picked up by the reconcile timer (every 10 minutes).
  if (states.some((s) => s.appliedStatus === 'approved')) {
    await advanceClock(baseUrl, 10 * 60_000 + 1_000);
    await pause(200);
  }
  for (const state of states) {
    if (!state.failed && state.loanId && !FINAL.has(state.status ?? '')) {
      const loanId = state.loanId;
      await guarded(state, async () => {
        await confirmAndSettle(baseUrl, state.borrower, loanId, faults);
        await refreshStatus(baseUrl, state);
      });
      markIfFinal(state);
    }
    bar?.tick('payout + confirmation');
  }
  // A minute of emulator time lets the notify timer deliver what the final changes queued.
  await advanceClock(baseUrl, 61_000);
  for (const state of states) {
    await guarded(state, async () => void (await refreshStatus(baseUrl, state)));
    markIfFinal(state);
  }
  bar?.finish();

  const outcomes = states.map((state) => ({
    index: state.borrower.index,
    openid: state.borrower.openid,
    scenario: state.borrower.scenario,
    expected: EXPECTED_STATUS[state.borrower.scenario],
    appliedStatus: state.appliedStatus ?? '-',
    finalStatus: state.failed ? 'error' : (state.status ?? 'unknown'),
    journeyMs: (state.endedAt ?? Date.now()) - state.startedAt,
    ...(state.note ? { note: state.note } : {}),
  }));
  const repaying = states
    .filter((s) => !s.failed && s.status === 'repaying' && s.loanId)
    .map((s) => ({ openid: s.borrower.openid, loanId: s.loanId as string }));
  const repayments = await runRepayments(baseUrl, repaying);
  return { outcomes, faults, medianJourneyMs: median(outcomes.map((o) => o.journeyMs)), repayments };
}
