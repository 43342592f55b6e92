import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import { APPLICATIONS, BORROWERS } from '../../server/loan/application-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import { BOOKING_OVERDUE_MS } from '../../server/payout/booking';
import { startPayout } from '../../server/payout/engine';
import { retryPayout } from '../../server/payout/manage';
import { payoutOps } from '../../server/payout/ops-actions';
import { payoutProgress } from '../../server/payout/progress';
import { checkLedger } from '../../server/payout/reconcile';
import { runReconcileTick } from '../../server/payout/reconcile-tick';
import { refreshPayout } from '../../server/payout/settle';
import { bookPayout } from '../../server/payout/write';
import type { PayoutDoc } from '../../server/payout/payout-doc';
import { verifyAudit } from '../../server/audit/verify';
import {
  applicationOf,
  assertPayoutInvariants,
  confirmReceipt,
  outboxOf,
  payoutOf,
  reconcileNow,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  vouchersOf,
  type PayoutHarness,
} from './harness';
import { deliver, resign } from './notifications-kit';

const SYSTEM = { id: 'system:test', type: 'system' } as const;
const HOUR = 3_600_000;

describe('a notification records the final state; its booking follows once, in one transaction', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Payout audit records of one event type for a loan (of bookings: those moving the loan to `loanStatus`). */
  async function payoutAudits(loanId: string, event: string, loanStatus?: string) {
    const records = await h.docs.find<
      StoredDoc & { entry: { event: string; details?: { loanStatus?: string } } }
    >(AUDIT_COLLECTION, { 'entry.subject': `payout:${loanId}` } as never, { limit: 1000 });
    return records.filter(
      (r) => r.entry.event === event && (!loanStatus || r.entry.details?.loanStatus === loanStatus),
    );
  }

  /** Starts a payout and brings it to WAIT_USER_CONFIRM with the payee's confirmation parameters. */
  async function awaitingConfirmation(amount: number) {
    const loan = await seedApprovedLoan(h, amount);
    await startPayout(h.deps, loan, SYSTEM);
    for (let round = 0; round < 8; round++) {
      const doc = await refreshPayout(h.deps, loan.loanId);
      if (!doc) throw new Error('payout vanished');
      const progress = payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now());
      if (progress.confirmation) {
        // Shown at once; the loan's awaiting_confirmation step (and its message) is booked by the next poll.
        expect(doc.booking?.loanStatus?.to).toBe('awaiting_confirmation');
        await refreshPayout(h.deps, loan.loanId);
        expect((await applicationOf(h, loan.loanId)).status).toBe('awaiting_confirmation');
        return { loan, confirmation: progress.confirmation };
      }
      await h.steps(1);
    }
    throw new Error('no confirmation offered');
  }

  /** A payout the borrower confirmed and WeChat notified as SUCCESS (nobody asked for progress since). */
  async function notifiedSuccess(amount: number) {
    const { loan, confirmation } = await awaitingConfirmation(amount);
    expect((await confirmReceipt(h, confirmation)).status).toBe(200);
    await h.steps(3);
    return { loan, doc: await payoutOf(h, loan.loanId) };
  }

  test('SUCCESS: recorded with its booking pending (nothing booked, not a discrepancy); a duplicate writes nothing; concurrent bookers book once', async () => {
    const { loan, doc } = await notifiedSuccess(24_100);
    expect(doc).toMatchObject({ status: 'succeeded', bookingPending: true, finalCheck: true });
    expect(doc.booking).toMatchObject({
      vouchers: [{ kind: 'disbursement', amount: 24_100, loanId: loan.loanId }],
      loanStatus: { to: 'disbursed' },
      actor: { id: 'system:notify', type: 'system' },
    });
    expect(await vouchersOf(h, loan.loanId)).toHaveLength(0);
    expect((await applicationOf(h, loan.loanId)).status).toBe('awaiting_confirmation');
    expect((await checkLedger(h.deps)).filter((p) => p.ref === loan.loanId)).toEqual([]);
    expect((await verifyAudit(h.docs)).ok).toBe(true);
    // What the borrower sees comes from the payout document: 到账 at once.
    expect(payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now()).stage).toBe(
      'disbursed',
    );

    // WeChat's retry of the same notification while the booking is pending: answered, nothing written.
    const sent = sandboxBillsOf(h, doc)[0]?.notifications[0];
    if (!sent) throw new Error('no notification sent');
    expect(await deliver(h, resign(h, sent.body))).toBe(204);
    expect(await payoutOf(h, loan.loanId)).toEqual(doc);

    // The progress page, the reconcile timer and another booker at the same moment: booked exactly once.
    await Promise.all([refreshPayout(h.deps, loan.loanId), reconcileNow(h), bookPayout(h.deps, doc)]);
    const booked = await assertPayoutInvariants(h, loan.loanId);
    expect(booked.bookingPending).toBeUndefined();
    expect(booked.booking).toBeUndefined();
    expect(booked.version).toBe(doc.version + 1);
    expect((await vouchersOf(h, loan.loanId)).map((v) => (v as { kind?: string }).kind)).toEqual([
      'disbursement',
    ]);
    const app = await applicationOf(h, loan.loanId);
    expect(app.status).toBe('repaying');
    expect(app.timeline.map((t) => t.status).filter((s) => s === 'disbursed')).toHaveLength(1);
    expect((await outboxOf(h, loan.loanId)).filter((m) => m.status === 'disbursed')).toHaveLength(1);
    expect(await payoutAudits(loan.loanId, 'payout.booked', 'disbursed')).toHaveLength(1);
    expect(await h.docs.get('repaymentPlans', loan.loanId)).toBeDefined();
    // Booking again is a no-op.
    expect(await bookPayout(h.deps, booked)).toEqual(booked);
    expect((await payoutOf(h, loan.loanId)).version).toBe(booked.version);
  });

  test('a booking pending for minutes is reported by the ledger check; the reconcile tick books it before it checks', async () => {
    const { loan, doc } = await notifiedSuccess(24_200);
    expect(doc.bookingPending).toBe(true);
    await h.advance(BOOKING_OVERDUE_MS + 1_000);
    expect((await checkLedger(h.deps)).filter((p) => p.ref === loan.loanId)).toEqual([
      { code: 'BOOKING_OVERDUE', ref: loan.loanId, detail: 'final state recorded, not booked' },
    ]);
    const tick = await runReconcileTick(h.runtime);
    expect(tick.findings).toBe(0);
    expect((await payoutOf(h, loan.loanId)).bookingPending).toBeUndefined();
    expect((await applicationOf(h, loan.loanId)).status).toBe('repaying');
    expect(await checkLedger(h.deps)).toEqual([]);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('a booking that cannot commit leaves the recorded state visible, is reported by the timer and booked once it can', async () => {
    const { loan, doc } = await notifiedSuccess(24_250);
    const app = await applicationOf(h, loan.loanId);
    // Someone moved the loan where `disbursed` is not allowed (a console edit): the booking's transition refuses.
    await h.docs.transact((tx) => tx.put(APPLICATIONS, { ...app, status: 'rejected' }));
    const shown = await refreshPayout(h.deps, loan.loanId);
    expect(shown).toMatchObject({ status: 'succeeded', bookingPending: true, version: doc.version });
    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId)).toEqual([
      expect.objectContaining({ code: 'BOOKING_FAILED', detail: 'TRANSITION_NOT_ALLOWED' }),
    ]);
    expect(await vouchersOf(h, loan.loanId)).toHaveLength(0);
    await h.docs.transact((tx) => tx.put(APPLICATIONS, app));
    await reconcileNow(h);
    expect((await payoutOf(h, loan.loanId)).bookingPending).toBeUndefined();
    expect((await applicationOf(h, loan.loanId)).status).toBe('repaying');
    expect(await vouchersOf(h, loan.loanId)).toHaveLength(1);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('FAIL: the retry books the failure (loan told, reservation held until then) before it opens the next bill', async () => {
    const { loan } = await awaitingConfirmation(24_300);
    // Unconfirmed for 24 h: WeChat closes the bill and notifies FAIL.
    await h.advance(24 * HOUR + 1_000);
    await h.steps(1);
    const failed = await payoutOf(h, loan.loanId);
    expect(failed).toMatchObject({ status: 'failed', bookingPending: true });
    expect(failed.booking?.loanStatus?.to).toBe('disbursement_failed');
    const bill = failed.bills[0];
    if (!bill) throw new Error('no bill');
    expect(failed.booking?.release).toMatchObject({ key: bill.outBillNo, amount: 24_300 });
    // The borrower's day total (on the borrower document): until booked, the reservation stays held.
    const dayTotal = async () =>
      (await h.docs.get<StoredDoc & { payoutDay?: { day: string; amount: number } }>(BORROWERS, loan.openid))
        ?.payoutDay;
    expect(await dayTotal()).toEqual({ day: bill.reservedDay, amount: 24_300 });
    expect((await applicationOf(h, loan.loanId)).status).toBe('awaiting_confirmation');
    // Operators see why the loan still shows its previous status.
    const listed = await payoutOps.payoutList(h.runtime, 'o-operator-1', {
      kind: 'failed',
      offset: 0,
      limit: 100,
    });
    expect(listed.items.find((i) => i.loanId === loan.loanId)?.bookingPendingSince).toBe(
      failed.booking?.recordedAt,
    );

    const retried: PayoutDoc = await retryPayout(
      h.deps,
      loan.loanId,
      { id: loan.openid, type: 'borrower' },
      false,
    );
    expect(retried.billNos).toHaveLength(2);
    expect(retried.bookingPending).toBeUndefined();
    const statuses = (await applicationOf(h, loan.loanId)).timeline.map((t) => t.status);
    expect(statuses.slice(-2)).toEqual(['disbursement_failed', 'disbursing']);
    // The second bill reserves on its own day (24 h later), counted from 0 there.
    const retryDay = retried.bills[1]?.reservedDay;
    expect(retryDay).not.toBe(bill.reservedDay);
    expect(await dayTotal()).toEqual({ day: retryDay, amount: 24_300 });
    expect(await payoutAudits(loan.loanId, 'payout.booked', 'disbursement_failed')).toHaveLength(1);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('every payNotify of this file (SUCCESS, FAIL, a duplicate) made at most 2 SDK calls (one query, one conditional update)', async () => {
    const response = await fetch(`${h.emu.baseUrl}/_admin/functions/invocations?name=payNotify`);
    const { invocations } = (await response.json()) as { invocations: Array<{ sdkCalls: number }> };
    const calls = invocations.map((r) => r.sdkCalls);
    console.log(`payNotify SDK calls: ${JSON.stringify(calls)}`);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...calls)).toBeLessThanOrEqual(2);
  });
});
