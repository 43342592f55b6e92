import { auditKeys } from '../audit/audit-keys';
import {
  checkLedgerAgainstBills,
  verifyLedgerChains,
  type LedgerProblem,
  type PaidBillFacts,
} from '../ledger/check';
import { BOOKING_OVERDUE_MS } from './booking';
import { readLedger } from '../ledger/read';
import { isCancellable, isFinal } from './bill-state';
import { confirmedBeforeBlock } from './blocked-cancel';
import { disagrees, recordDisagreement, type WechatAnswer } from './disagreement';
import { sendCreate, SYSTEM_RECONCILE } from './engine';
import { cancelPayout, holdPayout } from './manage';
import { querySettled } from './settle';
import { bookPayout } from './write';
import { currentBill, type PayoutBill, type PayoutDoc } from './payout-doc';
import type { PayoutDeps } from './ports';

/** One line of the operators' mismatch report. */
export interface ReconcileFinding {
  loanId: string;
  outBillNo: string;
  code:
    | 'QUERY_MISMATCH'
    | 'QUERY_UNAVAILABLE'
    | 'CANCEL_REQUESTED'
    | 'ESCALATED'
    | 'RESENT_INTENT'
    | 'STILL_INVISIBLE'
    | 'CONFIRMED_BEFORE_BLOCK'
    /** Our record and WeChat's answer cannot both be true: recorded, audited, nothing moved. */
    | 'PAYOUT_STATE_DISAGREEMENT'
    /** A payout with a recorded disagreement: the reconciler leaves it to operators. */
    | 'PAYOUT_DISPUTED'
    /** A booking a notification left pending could not be committed this pass (retried next pass). */
    | 'BOOKING_FAILED'
    | LedgerProblem['code'];
  detail: string;
}

/** What one reconciliation run did (counts are of open payouts; final checks report findings only). */
export interface ReconcileReport {
  examined: number;
  settled: number;
  stillOpen: number;
  findings: ReconcileFinding[];
}

const PAGE = 500;
/** Bills worked on at once: each settle writes only its own payout, loan and audit chains (no shared
 * head), so they run side by side; WeChat calls are paced by the instance's token bucket. */
const RECONCILE_CONCURRENCY = Number(process.env.WXLEND_RECONCILE_CONCURRENCY ?? 8);

/** Every page of a list (collected first, so settling during the run cannot make pages skip). */
async function allPages(list: (skip: number, limit: number) => Promise<PayoutDoc[]>): Promise<PayoutDoc[]> {
  const all: PayoutDoc[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await list(skip, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/**
 * The pass's work: open payouts and payouts with final bills to confirm or a booking pending, each
 * once, read side by side.
 */
async function workList(deps: PayoutDeps): Promise<PayoutDoc[]> {
  const [open, toCheck] = await Promise.all([
    allPages((skip, limit) => deps.store.listOpen(skip, limit)),
    allPages((skip, limit) => deps.store.listFinalCheckOrBooking(skip, limit)),
  ]);
  const byId = new Map(toCheck.map((doc) => [doc._id, doc]));
  for (const doc of open) byId.set(doc._id, doc);
  return [...byId.values()];
}

/**
 * Queries every bill that is not final and settles it on WeChat's word; resends intents WeChat
 * never saw; cancels bills unconfirmed past the window; escalates bills stuck past the escalation
 * window. A booking a notification left pending is committed first. Every bill that became final is asked about once more: where our record and WeChat's
 * answer disagree the bill is reported (`PAYOUT_STATE_DISAGREEMENT`), recorded and audited, and the
 * payout left to operators — never settled or paid again automatically. Each payout in hand is never
 * re-read; WeChat calls go through the instance's token bucket, `RECONCILE_CONCURRENCY` at a time.
 * Safe to run concurrently and repeatedly (every write is conditional and idempotent).
 */
export async function reconcilePayouts(deps: PayoutDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { examined: 0, settled: 0, stillOpen: 0, findings: [] };
  const queue = await workList(deps);
  const worker = async (): Promise<void> => {
    for (let doc = queue.shift(); doc; doc = queue.shift()) {
      let open = doc.open;
      try {
        // The backstop of a booking a notification left pending (nobody asked for progress since).
        doc = await bookPending(deps, doc, report);
        const disputed = doc.finalCheck ? await confirmFinalBills(deps, doc, report) : doc.disputed;
        if (!doc.open) continue;
        if (disputed)
          report.findings.push({
            loanId: doc._id,
            outBillNo: currentBill(doc).outBillNo,
            code: 'PAYOUT_DISPUTED',
            detail: 'our record and WeChat disagree on a bill of this loan; left to operators',
          });
        else open = await reconcileOne(deps, doc, report);
      } catch (error) {
        report.findings.push({
          loanId: doc._id,
          outBillNo: currentBill(doc).outBillNo,
          code: 'QUERY_UNAVAILABLE',
          detail: (error as Error).name,
        });
      }
      if (!doc.open) continue;
      report.examined += 1;
      if (open) report.stillOpen += 1;
      else report.settled += 1;
    }
  };
  await Promise.all(Array.from({ length: RECONCILE_CONCURRENCY }, worker));
  return report;
}

/** Books what a notification left pending on `doc`; a failure is reported and retried next pass. */
async function bookPending(deps: PayoutDeps, doc: PayoutDoc, report: ReconcileReport): Promise<PayoutDoc> {
  try {
    return await bookPayout(deps, doc);
  } catch (error) {
    report.findings.push({
      loanId: doc._id,
      outBillNo: currentBill(doc).outBillNo,
      code: 'BOOKING_FAILED',
      detail: (error as { code?: string }).code ?? (error as Error).name,
    });
    return doc;
  }
}

/** Reconciles one payout; answers whether it is still open afterwards. */
async function reconcileOne(deps: PayoutDeps, doc: PayoutDoc, report: ReconcileReport): Promise<boolean> {
  const bill = currentBill(doc);
  if (isFinal(bill.phase)) return false;
  const now = deps.clock.now();
  const finding = (code: ReconcileFinding['code'], detail: string): void => {
    report.findings.push({ loanId: doc._id, outBillNo: bill.outBillNo, code, detail });
  };
  const { result, doc: settled, state } = await querySettled(deps, doc, bill.outBillNo);
  if (result === 'mismatch') {
    finding('QUERY_MISMATCH', 'WeChat reports a different amount or payee for this bill');
    await holdPayout(deps, doc._id, SYSTEM_RECONCILE, '对账发现金额或收款人不一致，等待人工处理');
    return true;
  }
  if (result === 'ambiguous') {
    finding('QUERY_UNAVAILABLE', 'query answered without a result; will retry next run');
    return true;
  }
  const after = settled.bills.find((b) => b.outBillNo === bill.outBillNo) ?? bill;
  // Only a final answer our bill can never reach counts here; ours turned final meanwhile is confirmed later.
  if (state && isFinal(state) && disagrees(after.phase, state)) {
    await reportDisagreement(deps, settled, after, state, report);
    return true;
  }
  let fresh = settled;
  if (result === 'not_found') {
    // WeChat never saw it (crash before/while sending) or does not show it yet: resend the same request.
    if (
      bill.phase === 'INTENT' &&
      now - bill.createdAt >= deps.settings.resendIntentAfterMs &&
      doc.status === 'in_progress'
    ) {
      fresh = await sendCreate(deps, doc._id);
      finding('RESENT_INTENT', 'intent without a WeChat bill was sent again with the same number');
    } else {
      finding('STILL_INVISIBLE', 'WeChat does not show the bill yet');
    }
  }
  const latest = currentBill(fresh);
  if (latest.cancelFor && (latest.phase === 'TRANSFERING' || latest.phase === 'SUCCESS'))
    report.findings.push(confirmedBeforeBlock(doc._id, latest));
  if (isFinal(latest.phase)) return false;
  if (latest.cancelFor && isCancellable(latest.phase)) {
    // The borrower was frozen or blacklisted: the cancel that was lost or never sent goes out now.
    await cancelPayout(deps, doc._id, SYSTEM_RECONCILE, latest.cancelFor).catch(() => undefined);
    finding('CANCEL_REQUESTED', `${latest.cancelFor}: cancel of a blocked borrower's bill requested`);
  } else if (latest.phase === 'WAIT_USER_CONFIRM' && !latest.packageInfo) await sendCreate(deps, doc._id);
  const since = latest.acceptedAt ?? latest.createdAt;
  const overdue = now - since > deps.settings.confirmWindowMs + deps.settings.closeGraceMs;
  if (overdue && isCancellable(latest.phase) && !latest.cancelFor) {
    // WeChat should have closed it after 24 h; closing can take longer, so we ask ourselves.
    await cancelPayout(deps, doc._id, SYSTEM_RECONCILE).catch(() => undefined);
    finding('CANCEL_REQUESTED', 'unconfirmed past the confirmation window; cancel requested');
  }
  if (now - since > deps.settings.escalateAfterMs && fresh.status !== 'manual') {
    await holdPayout(deps, doc._id, SYSTEM_RECONCILE, '转账长时间未完成，已转人工处理');
    finding('ESCALATED', `not final after ${Math.round((now - since) / 3_600_000)} h`);
  }
  return true;
}

/** Records one disagreement, marks the payout disputed on the version in hand, and reports it. */
async function reportDisagreement(
  deps: PayoutDeps,
  doc: PayoutDoc,
  bill: PayoutBill,
  theirs: WechatAnswer,
  report: ReconcileReport,
): Promise<void> {
  await recordDisagreement(deps, doc, bill, theirs);
  await deps.store.markFinalChecked(doc, deps.clock.now(), true);
  report.findings.push({
    loanId: doc._id,
    outBillNo: bill.outBillNo,
    code: 'PAYOUT_STATE_DISAGREEMENT',
    detail: `ours ${bill.phase}, WeChat ${theirs}`,
  });
}

/**
 * Asks WeChat once more about every bill of `doc` that became final since the last check and
 * compares: the same state clears the flag (one conditional update, no version change); any other
 * answer — another state, or no such bill — is a disagreement. An ambiguous answer is asked again
 * next pass. Answers whether the payout is disputed.
 */
async function confirmFinalBills(
  deps: PayoutDeps,
  doc: PayoutDoc,
  report: ReconcileReport,
): Promise<boolean> {
  const since = doc.finalCheckedAt ?? 0;
  const bills = doc.bills.filter((b) => isFinal(b.phase) && (b.finalAt ?? 0) >= since);
  const answers = await Promise.all(bills.map((b) => deps.transfer.query(b.outBillNo)));
  if (answers.some((a) => a.kind === 'ambiguous')) return doc.disputed ?? false;
  for (const [i, bill] of bills.entries()) {
    const found = answers[i];
    if (!found || found.kind === 'ambiguous') continue;
    if (found.kind === 'found' && (found.amount !== bill.amount || found.openid !== bill.openid)) {
      await reportDisagreement(deps, doc, bill, found.state, report);
      return true;
    }
    const theirs: WechatAnswer = found.kind === 'found' ? found.state : 'NOT_FOUND';
    if (disagrees(bill.phase, theirs)) {
      await reportDisagreement(deps, doc, bill, theirs, report);
      return true;
    }
  }
  await deps.store.markFinalChecked(doc, deps.clock.now(), false);
  return doc.disputed ?? false;
}

/** How the ledger check sees a payout: its amount, the bill that succeeded, its pending booking (booking.ts). */
export function billFacts(p: PayoutDoc, now: number): PaidBillFacts {
  return {
    loanId: p._id,
    amount: p.amount,
    succeededBillNo: p.bills.find((b) => b.phase === 'SUCCESS')?.outBillNo,
    ...(p.bookingPending
      ? { booking: now - (p.booking?.recordedAt ?? 0) > BOOKING_OVERDUE_MS ? 'overdue' : 'pending' }
      : {}),
  };
}

/**
 * Reads every payout and the whole ledger and reports every broken ledger chain or seal (named by
 * its first broken link) and where the ledger disagrees with the bills.
 */
export async function checkLedger(deps: PayoutDeps): Promise<LedgerProblem[]> {
  const payouts: PayoutDoc[] = [];
  const readPayouts = async (): Promise<void> => {
    for (let skip = 0; ; skip += PAGE) {
      const page = await deps.store.listAll(skip, PAGE);
      payouts.push(...page);
      if (page.length < PAGE) return;
    }
  };
  const [books] = await Promise.all([readLedger(deps.store.docs), readPayouts()]);
  return [
    ...verifyLedgerChains(auditKeys(), books),
    ...checkLedgerAgainstBills(
      books.vouchers,
      payouts.map((p) => billFacts(p, deps.clock.now())),
    ),
  ];
}
