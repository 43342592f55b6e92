import cloud from 'wx-server-sdk';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import type { MerchantTransferConfirmation, PayoutProgress } from '../../typings/payout';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { withCheck } from '../shared/idcard-arbitrary';
import { callAs, callAsConsole, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * A bill already waiting for the borrower's confirmation when the borrower is frozen or
 * blacklisted, through the real wx-server-sdk, the client gateway and the WeChat Pay sandbox: the
 * package is withheld with the gate's code, the bill is cancelled at WeChat (the reconciler resends
 * a lost cancel), an unfreeze does not resurrect it, and a confirmation that won the race finishes
 * and is reported to operators.
 */

/** Thin-file identities: the automated review leaves them to a person. */
const person = (n: number) => ({
  openid: `o-block-${n}`,
  name: '周九',
  idNumber: withCheck(`11010119880101${String(200 + n).padStart(3, '0')}`),
  phone: `139000001${String(n).padStart(2, '0')}`,
});
const people = { frozen: person(1), listed: person(2), confirmed: person(3), lost: person(4) };
const REVIEWER = 'o-block-reviewer';
const CHECKER = 'o-block-checker';
const SUPERVISOR = 'o-block-supervisor';

let emu: TestEmulator;
let sandbox: WechatPaySandbox;
let counter = 0;

beforeAll(async () => {
  emu = await startLendingEmulator();
  sandbox = emu.hub.service<WechatPaySandbox>('wechatpay');
  for (const p of Object.values(people)) await verifyBorrower(emu, p.openid, p);
  const db = cloud.database();
  for (const [id, role] of [
    [REVIEWER, 'reviewer'],
    [CHECKER, 'reviewer'],
    [SUPERVISOR, 'supervisor'],
  ] as const)
    await db
      .collection('operators')
      .doc(id)
      .set({ data: { role, active: true } });
}, 180_000);

afterAll(async () => {
  await emu.stop();
});

async function steps(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await emu.hub.clock.advance(1_100);
    await emu.hub.scheduler.drain();
  }
}

const progressOf = (openid: string, loanId: string) =>
  callAs<PayoutProgress>(emu, openid, 'payout', { action: 'progress', loanId });

const supervisorDoes = (action: string, openid: string, reasonCode: string, extra = {}) =>
  callAs(emu, SUPERVISOR, 'ops', { action, openid, reasonCode, reason: '风控核查可疑交易', ...extra });

/** The borrower's client confirming receipt through the sandbox's user endpoint. */
async function confirm(
  confirmation: MerchantTransferConfirmation,
): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...confirmation, action: 'confirm' }),
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, ...(body.code ? { code: body.code } : {}) };
}

/** Applies, is approved by maker and checker, and waits until the payee is offered the confirmation. */
async function waitingForConfirmation(
  openid: string,
): Promise<{ loanId: string; confirmation: MerchantTransferConfirmation }> {
  counter += 1;
  const applied = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    openid,
    'loan',
    {
      action: 'apply',
      requestId: `req-block-${counter}-${Date.now().toString(36)}`,
      amount: 20_000,
      termMonths: 6,
      method: 'equal_instalment',
      purpose: 'consumption',
      deviceFingerprint: `block-device-${counter}`,
      consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
    },
  );
  if (!applied.ok) throw new Error(`apply ${applied.error.code}`);
  const loanId = applied.data.applicationId;
  expect(applied.data.application.status).toBe('manual_review');
  await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: loanId });
  for (const op of [REVIEWER, CHECKER])
    expect(
      await callAs(emu, op, 'ops', {
        action: 'decide',
        applicationId: loanId,
        decision: 'approve',
        note: '核实通过',
      }),
    ).toMatchObject({ ok: true });
  // The approval answered at the decision; the progress page's first call starts the payout.
  let waiting = await progressOf(openid, loanId);
  for (let i = 0; i < 5 && !(waiting.ok && waiting.data.confirmation); i++) {
    await steps(1);
    waiting = await progressOf(openid, loanId);
  }
  expect(waiting).toMatchObject({ ok: true, data: { stage: 'awaiting_confirmation' } });
  const confirmation = waiting.ok ? waiting.data.confirmation : undefined;
  if (!confirmation) throw new Error('no confirmation package');
  return { loanId, confirmation };
}

/** WeChat's bills for a payee, as the sandbox holds them. */
const sandboxBills = (openid: string) =>
  sandbox
    .listBills()
    .filter((b) => b.bill.openid === openid)
    .map((b) => ({ outBillNo: b.bill.outBillNo, state: b.bill.state }));
const vouchersOf = (loanId: string) =>
  docs<{ loanId: string }>(emu, 'ledgerVouchers').filter((v) => v.loanId === loanId);
const payoutOf = (loanId: string) =>
  docs<{
    _id: string;
    status: string;
    bills: Array<{ outBillNo: string; phase: string; cancelFor?: string }>;
  }>(emu, 'payouts').find((p) => p._id === loanId);

describe('a borrower frozen or blacklisted while a bill waits for confirmation is never paid', () => {
  it.each([
    ['freeze', people.frozen, 'FRAUD_SUSPECTED', 'BORROWER_FROZEN'],
    ['blacklist', people.listed, 'FRAUD_CONFIRMED', 'BORROWER_BLACKLISTED'],
  ] as const)(
    '%s: progress refused with the code, the bill ends CANCELLED, no ledger entry',
    async (action, p, reasonCode, code) => {
      const { loanId, confirmation } = await waitingForConfirmation(p.openid);
      expect(await supervisorDoes(action, p.openid, reasonCode)).toMatchObject({ ok: true });
      const refused = await progressOf(p.openid, loanId);
      console.log(`[block ${action}] progress → ${JSON.stringify(refused)}`);
      expect(refused).toMatchObject({
        ok: false,
        error: { code, message: expect.stringMatching(/请联系客服/) },
      });
      // The package the borrower already held no longer pays: the cancel reached WeChat first.
      const late = await confirm(confirmation);
      expect(late).toMatchObject({ status: 409, code: 'BILL_CLOSED' });
      await steps(3);
      expect(sandboxBills(p.openid)).toEqual([{ outBillNo: expect.any(String), state: 'CANCELLED' }]);
      expect(payoutOf(loanId)?.bills).toEqual([
        expect.objectContaining({ phase: 'CANCELLED', cancelFor: code }),
      ]);
      expect(vouchersOf(loanId)).toEqual([]);
      expect(await progressOf(p.openid, loanId)).toMatchObject({ ok: true, data: { stage: 'failed' } });
      expect(await callAs(emu, SUPERVISOR, 'ops', { action: 'verifyAudit' })).toMatchObject({
        ok: true,
        data: { ok: true },
      });
    },
  );

  it('a borrower who confirmed just before the freeze: the bill finishes and operators get a report', async () => {
    const p = people.confirmed;
    const { loanId, confirmation } = await waitingForConfirmation(p.openid);
    expect(await confirm(confirmation)).toMatchObject({ status: 200 });
    expect(await supervisorDoes('freeze', p.openid, 'FRAUD_SUSPECTED')).toMatchObject({ ok: true });
    const reports = docs<{ _id: string; findings: Array<{ loanId: string; code: string }> }>(
      emu,
      'payoutReports',
    ).filter((r) => r.findings.some((f) => f.loanId === loanId));
    console.log(`[block confirmed] reports → ${JSON.stringify(reports)}`);
    expect(reports.flatMap((r) => r.findings.map((f) => f.code))).toContain('CONFIRMED_BEFORE_BLOCK');
    await steps(6);
    expect(sandboxBills(p.openid)).toEqual([{ outBillNo: expect.any(String), state: 'SUCCESS' }]);
    // The notification recorded the SUCCESS; a frozen borrower may never open the progress page again,
    // so the reconcile timer (the backstop) books it: the money that moved is in the ledger.
    expect(payoutOf(loanId)).toMatchObject({ status: 'succeeded', bookingPending: true });
    expect(vouchersOf(loanId)).toHaveLength(0);
    await callAsConsole('reconcile', {});
    expect(payoutOf(loanId)).toMatchObject({ status: 'succeeded' });
    expect(payoutOf(loanId)).not.toHaveProperty('bookingPending');
    expect(vouchersOf(loanId)).toHaveLength(1);
  });

  it('a lost cancel is resent by reconcile; an unfreeze does not resurrect the bill; retry opens a new number only after CANCELLED', async () => {
    const p = people.lost;
    const { loanId } = await waitingForConfirmation(p.openid);
    sandbox.addFault({ target: 'api', endpoint: 'cancel', kind: 'system_error', count: 1 });
    expect(await supervisorDoes('freeze', p.openid, 'FRAUD_SUSPECTED')).toMatchObject({ ok: true });
    await steps(2);
    // The cancel was lost: WeChat still waits for the borrower, our record holds the mark.
    expect(sandboxBills(p.openid)).toEqual([{ outBillNo: expect.any(String), state: 'WAIT_USER_CONFIRM' }]);
    expect(payoutOf(loanId)?.bills).toEqual([
      expect.objectContaining({ phase: 'WAIT_USER_CONFIRM', cancelFor: 'BORROWER_FROZEN' }),
    ]);
    expect(await progressOf(p.openid, loanId)).toMatchObject({
      ok: false,
      error: { code: 'BORROWER_FROZEN' },
    });

    expect(await supervisorDoes('unfreeze', p.openid, 'INVESTIGATION_CLEARED')).toMatchObject({ ok: true });
    const unfrozen = await progressOf(p.openid, loanId);
    console.log(`[block lost] progress after unfreeze → ${JSON.stringify(unfrozen)}`);
    expect(unfrozen).toMatchObject({ ok: true, data: { stage: 'preparing' } });
    expect(unfrozen.ok && unfrozen.data.confirmation).toBeFalsy();
    expect(await callAs(emu, p.openid, 'payout', { action: 'retry', loanId })).toMatchObject({
      ok: false,
      error: { code: 'PAYOUT_NOT_RETRYABLE' },
    });

    const tick = await callAsConsole('reconcile', {});
    console.log(`[block lost] reconcile → ${JSON.stringify(tick)}`);
    expect(tick).toMatchObject({ examined: expect.any(Number) });
    const requested = docs<{ findings: Array<{ loanId: string; code: string; detail: string }> }>(
      emu,
      'payoutReports',
    ).flatMap((r) => r.findings.filter((f) => f.loanId === loanId));
    expect(requested).toContainEqual(
      expect.objectContaining({
        code: 'CANCEL_REQUESTED',
        detail: expect.stringContaining('BORROWER_FROZEN'),
      }),
    );
    await steps(3);
    const [first] = sandboxBills(p.openid);
    expect(first?.state).toBe('CANCELLED');
    expect(payoutOf(loanId)?.bills).toEqual([expect.objectContaining({ phase: 'CANCELLED' })]);

    const retried = await callAs<PayoutProgress>(emu, p.openid, 'payout', { action: 'retry', loanId });
    expect(retried).toMatchObject({ ok: true });
    const bills = payoutOf(loanId)?.bills ?? [];
    expect(bills).toHaveLength(2);
    expect(bills[1]?.outBillNo).not.toBe(first?.outBillNo);
    expect(bills[1]?.cancelFor).toBeUndefined();
    expect(sandboxBills(p.openid).filter((b) => b.state === 'SUCCESS')).toEqual([]);
    expect(vouchersOf(loanId)).toEqual([]);
  });
});
