import type { DatabaseService } from '../../emulator/src/database';
import { callFunctionAsClient } from '../../emulator/src/functions';
import type { TimerService } from '../../emulator/src/timers/service';
import { startPayout } from '../../server/payout/engine';
import { retryPayout } from '../../server/payout/manage';
import { PAYOUT_COLLECTIONS } from '../../server/payout/collections';
import type { PayoutDeps } from '../../server/payout/ports';
import { payoutProgress } from '../../server/payout/progress';
import { checkLedger, reconcilePayouts } from '../../server/payout/reconcile';
import {
  applicationOf,
  assertPayoutInvariants,
  driveToSuccess,
  outboxOf,
  fault,
  payoutOf,
  reconcileNow,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;
const HOUR = 3_600_000;

describe('reconciliation settles every open bill on the true state', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness({}, { timers: true });
  });
  afterAll(async () => {
    await h.stop();
  });

  test('an approved application without a payout is started by the tick; the ops function serves payout actions', async () => {
    const loan = await seedApprovedLoan(h, 39_000);
    const tick = await h.functions.invoke({
      name: 'reconcile',
      event: { Type: 'Timer', TriggerName: 'reconcileEvery10Minutes', Time: new Date(h.now()).toISOString() },
      source: 'wx_trigger',
    });
    expect(tick.error).toBeUndefined();
    expect((tick.result as { started: number }).started).toBeGreaterThanOrEqual(1);
    expect((await payoutOf(h, loan.loanId)).billNos).toHaveLength(1);
    const history = await h.functions.invoke({
      name: 'ops',
      event: { action: 'payoutHistory', loanId: loan.loanId },
      source: 'scf',
    });
    expect(history.result).toMatchObject({
      ok: true,
      data: { loanId: loan.loanId, bills: [expect.objectContaining({ attempt: 1 })] },
    });
    const fromClient = await callFunctionAsClient(h.emu.baseUrl, {
      name: 'ops',
      data: {
        action: 'payoutCancel',
        loanId: loan.loanId,
        reasonCode: 'CUSTOMER_REQUEST',
        reason: '借款人要求撤销',
      },
      openid: loan.openid,
    });
    expect(fromClient.ok && (fromClient.result as { ok: boolean }).ok).toBe(false);
    expect((await payoutOf(h, loan.loanId)).bills[0]?.cancelRequested).toBe(false);
    await driveToSuccess(h, loan.loanId);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('a tick delivered 3 times and overlapping ticks settle a lost notification once', async () => {
    const loan = await seedApprovedLoan(h, 40_000);
    fault(h, { target: 'notification', kind: 'drop' });
    await startPayout(h.deps, loan, SYSTEM);
    await h.steps(2);
    await reconcileNow(h);
    const waiting = await payoutOf(h, loan.loanId);
    const confirmation = payoutProgress(
      waiting,
      loan.openid,
      h.deps.profile,
      h.deps.settings,
      h.now(),
    ).confirmation;
    if (!confirmation) throw new Error('no confirmation');
    await fetch(`${h.emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...confirmation, action: 'confirm' }),
    });
    await h.steps(3);
    expect((await payoutOf(h, loan.loanId)).status).toBe('in_progress');
    const tick = () =>
      h.functions.invoke({
        name: 'reconcile',
        event: {
          Type: 'Timer',
          TriggerName: 'reconcileEvery10Minutes',
          Time: new Date(h.now()).toISOString(),
        },
        source: 'wx_trigger',
      });
    const runs = await Promise.all([tick(), tick(), tick()]);
    for (const r of runs) expect(r.error).toBeUndefined();
    await h.emu.hub.service<TimerService>('timers').fire('reconcile', 'reconcileEvery10Minutes');
    const doc = await assertPayoutInvariants(h, loan.loanId);
    expect(doc.status).toBe('succeeded');
    expect(doc.bills[0]?.history.filter((e) => e.to === 'SUCCESS')).toEqual([
      expect.objectContaining({ source: 'query' }),
    ]);
  });

  test('unconfirmed for 24 h: closed FAIL, the borrower is told and offered to try again with a new number', async () => {
    const loan = await seedApprovedLoan(h, 41_000);
    fault(h, { target: 'notification', kind: 'drop' });
    await startPayout(h.deps, loan, SYSTEM);
    await h.advance(24 * HOUR + 5_000);
    await reconcileNow(h);
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.bills[0]?.phase).toBe('FAIL');
    const progress = payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now());
    expect(progress).toMatchObject({
      stage: 'failed',
      canRetry: true,
      reason: expect.stringContaining('24小时'),
    });
    expect(progress.nextStep).toContain('重新发起');
    expect(progress.confirmation).toBeUndefined();
    expect((await outboxOf(h, loan.loanId)).map((m) => m.status)).toContain('disbursement_failed');
    expect((await applicationOf(h, loan.loanId)).timeline.at(-1)?.note).toContain('重新发起');
    await retryPayout(h.deps, loan.loanId, { id: loan.openid, type: 'borrower' }, false);
    await driveToSuccess(h, loan.loanId);
    const final = await assertPayoutInvariants(h, loan.loanId);
    expect(final.billNos).toHaveLength(2);
    expect(final.status).toBe('succeeded');
  });

  test('past its window the reconciler cancels the bill itself; past escalation it stops for an operator', async () => {
    const short: PayoutDeps = {
      ...h.deps,
      settings: { ...h.deps.settings, confirmWindowMs: HOUR, closeGraceMs: 0, escalateAfterMs: 3 * HOUR },
    };
    const loan = await seedApprovedLoan(h, 42_000);
    await startPayout(short, loan, SYSTEM);
    await h.steps(2);
    await h.advance(HOUR + 1_000);
    const report = await reconcilePayouts(short);
    expect(report.findings.filter((f) => f.loanId === loan.loanId).map((f) => f.code)).toContain(
      'CANCEL_REQUESTED',
    );
    await h.steps(2);
    expect((await payoutOf(h, loan.loanId)).bills[0]?.phase).toBe('CANCELLED');
    await assertPayoutInvariants(h, loan.loanId);

    const stuck = await seedApprovedLoan(h, 43_000);
    fault(h, { target: 'api', endpoint: 'cancel', kind: 'system_error', count: 100 });
    await startPayout(short, stuck, SYSTEM);
    await h.steps(2);
    await h.advance(3 * HOUR + 1_000);
    const second = await reconcilePayouts(short);
    expect(second.findings.filter((f) => f.loanId === stuck.loanId).map((f) => f.code)).toContain(
      'ESCALATED',
    );
    const held = await payoutOf(h, stuck.loanId);
    expect(held.status).toBe('manual');
    expect(payoutProgress(held, stuck.openid, h.deps.profile, h.deps.settings, h.now())).toMatchObject({
      stage: 'manual_review',
      reason: expect.any(String),
    });
    await fetch(`${h.emu.baseUrl}/_admin/wechatpay/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clear: true }),
    });
    await assertPayoutInvariants(h, stuck.loanId);
  });

  test("edits behind the product's back are reported: a payout amount changed in the console, a voucher altered", async () => {
    const loan = await seedApprovedLoan(h, 44_000);
    await startPayout(h.deps, loan, SYSTEM);
    const database = h.emu.hub.service<DatabaseService>('database');
    expect(database).toBeDefined();
    const doc = await payoutOf(h, loan.loanId);
    const bills = doc.bills.map((b) => ({ ...b, amount: b.amount * 10 }));
    await h.docs.updateWhere(PAYOUT_COLLECTIONS.payouts, { _id: loan.loanId }, { bills });
    const report = await reconcileNow(h);
    expect(report.findings.filter((f) => f.loanId === loan.loanId).map((f) => f.code)).toContain(
      'QUERY_MISMATCH',
    );
    expect((await payoutOf(h, loan.loanId)).status).toBe('manual');

    const paid = await seedApprovedLoan(h, 45_000);
    await startPayout(h.deps, paid, SYSTEM);
    await driveToSuccess(h, paid.loanId);
    expect(await checkLedger(h.deps)).toEqual([]);
    await h.docs.updateWhere(PAYOUT_COLLECTIONS.ledgerVouchers, { loanId: paid.loanId }, { amount: 1 });
    const problems = (await checkLedger(h.deps)).map((p) => p.code);
    expect(problems).toEqual(expect.arrayContaining(['CHAIN_BROKEN', 'AMOUNT_MISMATCH']));
    await h.docs.updateWhere(PAYOUT_COLLECTIONS.ledgerVouchers, { loanId: paid.loanId }, { amount: 45_000 });
    expect(await checkLedger(h.deps)).toEqual([]);
  });
});
