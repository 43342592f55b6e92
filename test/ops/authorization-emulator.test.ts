import cloud from 'wx-server-sdk';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import type { PayoutProgress } from '../../typings/payout';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { withCheck } from '../shared/idcard-arbitrary';
import { IDS } from '../loan/memory-fixtures';
import { callAs, callAsConsole, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * Issue 10's attacks, each through the real wx-server-sdk against the local backend and the
 * mini-program gateway: the refusal code, and that nothing changed (no bill, no status change, no
 * ledger entry, no audit record where none is due).
 */

/** A thin-file identity (no credit file): the automated review leaves it to a person. */
const thin = (n: number): string => withCheck(`11010119880101${String(100 + n).padStart(3, '0')}`);
const people = {
  frozen: { openid: 'o-auth-frozen', name: '张三', idNumber: IDS.review, phone: '13900000001' },
  checker: { openid: 'o-auth-checker', name: '李四', idNumber: thin(1), phone: '13900000002' },
  retry: { openid: 'o-auth-retry', name: '王五', idNumber: IDS.approve, phone: '13900000003' },
  appeal: { openid: 'o-auth-appeal', name: '赵六', idNumber: IDS.reject, phone: '13900000004' },
  lost: {
    openid: 'o-auth-lost',
    name: '钱七',
    idNumber: withCheck('11010119900307124'),
    phone: '13900000005',
  },
};
const REVIEWER = 'o-auth-reviewer';
const CHECKER = 'o-auth-checker-op';
const SUPERVISOR = 'o-auth-supervisor';
/** An operator who is also a verified borrower. */
const SELF = { openid: 'o-auth-self', name: '孙八', idNumber: thin(2), phone: '13900000006' };
/** The same person as SELF under a second openid (a console copy of the identity). */
const SELF_TWIN = 'o-auth-self-twin';

let emu: TestEmulator;
let counter = 0;
const apply = (amount: number) => ({
  action: 'apply',
  requestId: `req-auth-${(counter += 1)}-${Date.now().toString(36)}`,
  amount,
  termMonths: 6,
  method: 'equal_instalment',
  purpose: 'consumption',
  deviceFingerprint: `auth-device-${counter}`,
  consent: signedConsent(amount, 6, 'equal_instalment', emu.hub.clock.now()),
});

/** What must not change when a call is refused: applications, payouts, bills, ledger, sandbox bills. */
function moneyState(): string {
  const sandbox = emu.hub.service<WechatPaySandbox>('wechatpay');
  return JSON.stringify({
    apps: docs<{ _id: string; status: string; version: number }>(emu, 'loanApplications')
      .map((a) => [a._id, a.status, a.version])
      .sort(),
    // The minute timer's sealing marks a payout's audit head sealed: bookkeeping, not money, so left out.
    payouts: docs<{ auditHead?: { unsealed?: boolean } }>(emu, 'payouts').map((p) =>
      p.auditHead ? { ...p, auditHead: { ...p.auditHead, unsealed: undefined } } : p,
    ),
    bills: docs(emu, 'payoutBills'),
    vouchers: docs(emu, 'ledgerVouchers'),
    reports: docs(emu, 'payoutReports'),
    sandbox: sandbox.listBills().map((b) => [b.bill.outBillNo, b.bill.state]),
  });
}
/** Audit records of every kind: chained changes and refusal records. */
const auditCount = (): number => docs(emu, 'auditLog').length + docs(emu, 'auditRefusals').length;

async function steps(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await emu.hub.clock.advance(1_100);
    await emu.hub.scheduler.drain();
  }
}

async function applyFor(openid: string, amount: number): Promise<{ id: string; status: string }> {
  const answer = await callAs<{ applicationId: string; application: { status: string } }>(
    emu,
    openid,
    'loan',
    apply(amount),
  );
  if (!answer.ok) throw new Error(`apply ${answer.error.code}`);
  const id = answer.data.applicationId;
  if (answer.data.application.status !== 'approved') return { id, status: answer.data.application.status };
  // `apply` answers at the decision; the progress page's first call starts the payout.
  const progress = await callAs(emu, openid, 'payout', { action: 'progress', loanId: id });
  if (!progress.ok) throw new Error(`progress ${progress.error.code}`);
  const view = await callAs<{ status: string }>(emu, openid, 'loan', { action: 'get', applicationId: id });
  if (!view.ok) throw new Error(`get ${view.error.code}`);
  return { id, status: view.data.status };
}

/** An operator's decision through the client gateway. */
const decideAs = (operator: string, applicationId: string, decision: 'approve' | 'reject', note: string) =>
  callAs(emu, operator, 'ops', { action: 'decide', applicationId, decision, note });

const supervisorDoes = (action: string, openid: string, reasonCode: string, extra = {}) =>
  callAs(emu, SUPERVISOR, 'ops', { action, openid, reasonCode, reason: '风控核查可疑交易', ...extra });

beforeAll(async () => {
  emu = await startLendingEmulator();
  for (const person of [...Object.values(people), SELF]) await verifyBorrower(emu, person.openid, person);
  const db = cloud.database();
  for (const [id, role] of [
    [REVIEWER, 'reviewer'],
    [CHECKER, 'reviewer'],
    [SUPERVISOR, 'supervisor'],
    [SELF.openid, 'reviewer'],
    [SELF_TWIN, 'reviewer'],
  ] as const)
    await db
      .collection('operators')
      .doc(id)
      .set({ data: { role, active: true } });
  // The twin openid carries SELF's identity (same idHash), as a console copy would.
  const self = docs<{ _id: string; identity: unknown }>(emu, 'borrowers').find((b) => b._id === SELF.openid);
  await db
    .collection('borrowers')
    .doc(SELF_TWIN)
    .set({
      data: {
        frozen: false,
        activeApplicationId: null,
        version: 1,
        createdAt: 0,
        updatedAt: 0,
        identity: self?.identity,
      },
    });
}, 180_000);

afterAll(async () => {
  await emu.stop();
});

describe('1. frozen or blacklisted borrowers are never paid', () => {
  it('(a) maker: frozen + blacklisted borrower in manual review is refused; the queue shows the flags', async () => {
    const app = await applyFor(people.frozen.openid, 20_000);
    expect(app.status).toBe('manual_review');
    expect(await supervisorDoes('freeze', people.frozen.openid, 'FRAUD_SUSPECTED')).toMatchObject({
      ok: true,
    });
    expect(await supervisorDoes('blacklist', people.frozen.openid, 'FRAUD_CONFIRMED')).toMatchObject({
      ok: true,
    });
    const queue = await callAs<{ items: Array<{ id: string; borrowerFlags: unknown }> }>(
      emu,
      REVIEWER,
      'ops',
      {
        action: 'queue',
      },
    );
    expect(queue.ok && queue.data.items.find((i) => i.id === app.id)?.borrowerFlags).toEqual({
      frozen: true,
      blacklisted: true,
    });
    expect(
      await callAs(emu, REVIEWER, 'ops', { action: 'application', applicationId: app.id }),
    ).toMatchObject({ ok: true, data: { borrowerFlags: { frozen: true, blacklisted: true } } });
    expect(await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: app.id })).toMatchObject({
      ok: true,
    });
    const before = moneyState();
    const decided = await decideAs(REVIEWER, app.id, 'approve', '材料齐全');
    console.log(`[case 1a] decide approve → ${JSON.stringify(decided)}`);
    expect(decided).toMatchObject({ ok: false, error: { code: 'BORROWER_BLACKLISTED' } });
    expect(moneyState()).toBe(before);
    // Rejecting is still possible.
    expect(await decideAs(REVIEWER, app.id, 'reject', '借款人已列入黑名单')).toMatchObject({
      ok: true,
      data: { status: 'rejected' },
    });
  });

  it('(a) checker: a borrower frozen after the first approval is refused at the second', async () => {
    const app = await applyFor(people.checker.openid, 20_000);
    expect(app.status).toBe('manual_review');
    await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: app.id });
    expect(await decideAs(REVIEWER, app.id, 'approve', '初审通过')).toMatchObject({
      ok: true,
      data: { status: 'awaiting_second_approval' },
    });
    expect(await supervisorDoes('freeze', people.checker.openid, 'AML_HIT')).toMatchObject({ ok: true });
    const before = moneyState();
    const checked = await decideAs(CHECKER, app.id, 'approve', '复核通过');
    console.log(`[case 1a checker] decide approve → ${JSON.stringify(checked)}`);
    expect(checked).toMatchObject({ ok: false, error: { code: 'BORROWER_FROZEN' } });
    expect(moneyState()).toBe(before);
  });

  it('(b) the borrower frozen after a failed bill cannot retry; neither can an operator', async () => {
    const app = await applyFor(people.retry.openid, 30_000);
    expect(['disbursing', 'awaiting_confirmation']).toContain(app.status);
    await steps(3);
    expect(
      await callAsConsole('ops', {
        action: 'payoutCancel',
        loanId: app.id,
        reasonCode: 'CUSTOMER_REQUEST',
        reason: '借款人要求撤销',
      }),
    ).toMatchObject({ ok: true });
    await steps(3);
    const failed = await callAs<PayoutProgress>(emu, people.retry.openid, 'payout', {
      action: 'progress',
      loanId: app.id,
    });
    expect(failed).toMatchObject({ ok: true, data: { stage: 'failed', canRetry: true } });
    expect(await supervisorDoes('freeze', people.retry.openid, 'FRAUD_SUSPECTED')).toMatchObject({
      ok: true,
    });
    const before = moneyState();
    const retried = await callAs(emu, people.retry.openid, 'payout', { action: 'retry', loanId: app.id });
    console.log(`[case 1b] borrower retry → ${JSON.stringify(retried)}`);
    expect(retried).toMatchObject({ ok: false, error: { code: 'BORROWER_FROZEN' } });
    expect(await callAs(emu, SUPERVISOR, 'ops', { action: 'payoutRetry', loanId: app.id })).toMatchObject({
      ok: false,
      error: { code: 'BORROWER_FROZEN' },
    });
    expect(moneyState()).toBe(before);
  });

  it('(c) a blacklisted borrower cannot appeal, and an appeal blacklisted meanwhile is never approved', async () => {
    const app = await applyFor(people.appeal.openid, 20_000);
    expect(app.status).toBe('rejected');
    const appealed = await callAs(emu, people.appeal.openid, 'loan', {
      action: 'appeal',
      applicationId: app.id,
      reason: '收入已提高，请重新审核',
    });
    expect(appealed).toMatchObject({ ok: true });
    expect(await supervisorDoes('blacklist', people.appeal.openid, 'FRAUD_CONFIRMED')).toMatchObject({
      ok: true,
    });
    await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: app.id });
    const before = moneyState();
    const decided = await decideAs(REVIEWER, app.id, 'approve', '复议通过');
    console.log(`[case 1c] appeal approve → ${JSON.stringify(decided)}`);
    expect(decided).toMatchObject({ ok: false, error: { code: 'BORROWER_BLACKLISTED' } });
    expect(moneyState()).toBe(before);
    // Denied, then a new appeal is impossible anyway; a fresh rejected application of a blacklisted
    // borrower cannot even be appealed.
    await decideAs(REVIEWER, app.id, 'reject', '黑名单');
    const second = await applyFor(people.appeal.openid, 20_000);
    expect(second.status).toBe('rejected');
    const state = moneyState();
    expect(
      await callAs(emu, people.appeal.openid, 'loan', {
        action: 'appeal',
        applicationId: second.id,
        reason: '请重新审核我的申请',
      }),
    ).toMatchObject({ ok: false, error: { code: 'BORROWER_BLACKLISTED' } });
    expect(moneyState()).toBe(state);
  });
});

describe('2. conflict of interest', () => {
  it('an operator cannot claim or decide their own application, by openid or by identity', async () => {
    const app = await applyFor(SELF.openid, 20_000);
    expect(app.status).toBe('manual_review');
    const before = moneyState();
    const audits = auditCount();
    const claimed = await callAs(emu, SELF.openid, 'ops', { action: 'claim', applicationId: app.id });
    console.log(`[case 2] self claim → ${JSON.stringify(claimed)}`);
    expect(claimed).toMatchObject({ ok: false, error: { code: 'CONFLICT_OF_INTEREST' } });
    expect(await decideAs(SELF.openid, app.id, 'approve', '本人审核')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT_OF_INTEREST' },
    });
    const twin = await callAs(emu, SELF_TWIN, 'ops', { action: 'claim', applicationId: app.id });
    console.log(`[case 2] same-identity claim → ${JSON.stringify(twin)}`);
    expect(twin).toMatchObject({ ok: false, error: { code: 'CONFLICT_OF_INTEREST' } });
    expect(moneyState()).toBe(before);
    const refusals = docs<{ entry: { event: string; outcome: string; details: { code?: string } } }>(
      emu,
      'auditRefusals',
    ).filter((r) => r.entry.outcome === 'refused' && r.entry.details.code === 'CONFLICT_OF_INTEREST');
    expect(refusals.map((r) => r.entry.event).sort()).toEqual(['ops.claim', 'ops.claim', 'ops.decide']);
    expect(auditCount()).toBe(audits + 3);
    // Someone else may.
    expect(await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: app.id })).toMatchObject({
      ok: true,
    });
  });
});

describe('3. timer and console entry points refuse borrowers before touching anything', () => {
  it.each([
    ['reconcile', {}, 'RECONCILE_FORBIDDEN'],
    ['reconcile', { Type: 'Timer' }, 'RECONCILE_FORBIDDEN'],
    ['review', { Type: 'Timer' }, 'REVIEW_FORBIDDEN'],
    ['review', { action: 'sweep' }, 'REVIEW_FORBIDDEN'],
    ['notify', { Type: 'Timer' }, 'NOTIFY_FORBIDDEN'],
    ['notify', { action: 'deliver' }, 'NOTIFY_FORBIDDEN'],
    ['payout', { action: 'start', loanId: 'x' }, 'FORBIDDEN'],
  ])('%s %j from the client gateway', async (name, data, code) => {
    const before = moneyState();
    const audits = auditCount();
    const answer = await callAs(emu, people.lost.openid, name, data);
    console.log(`[case 3] ${name} ${JSON.stringify(data)} → ${JSON.stringify(answer)}`);
    expect(answer).toMatchObject({ ok: false, error: { code } });
    expect(moneyState()).toBe(before);
    expect(auditCount()).toBe(audits);
  });
});

describe('4. reasons need visible text and a catalogue code', () => {
  it.each([
    ['zero-width', '\u200b\u200b\u200b\u200b'],
    ['dots', '....'],
    ['spaces', '      '],
    ['punctuation', '！？。，、；：'],
  ])('reveal with a %s reason is refused and not audited', async (_label, reason) => {
    const audits = auditCount();
    const answer = await callAs(emu, SUPERVISOR, 'ops', {
      action: 'reveal',
      openid: people.lost.openid,
      reasonCode: 'CUSTOMER_REQUEST',
      reason,
    });
    console.log(`[case 4] reveal ${JSON.stringify(reason)} → ${JSON.stringify(answer)}`);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(auditCount()).toBe(audits);
  });

  it('a reason outside the catalogue is refused; freeze with a code and text is audited with the code', async () => {
    expect(await supervisorDoes('freeze', people.lost.openid, 'BECAUSE', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await supervisorDoes('freeze', people.lost.openid, 'CUSTOMER_REQUEST')).toMatchObject({
      ok: true,
    });
    expect(await supervisorDoes('unfreeze', people.lost.openid, 'INVESTIGATION_CLEARED')).toMatchObject({
      ok: true,
    });
    const last = docs<{ entry: { event: string; details: { reasonCode?: string } } }>(emu, 'auditLog').filter(
      (r) => r.entry.event === 'borrower.frozen',
    );
    expect(last.some((r) => r.entry.details.reasonCode === 'CUSTOMER_REQUEST')).toBe(true);
  });
});

describe('5. operator documents are read through a schema', () => {
  it.each([
    ['active as a string', { role: 'supervisor', active: 'false' }],
    ['active as a number', { role: 'supervisor', active: 1 }],
    ['unknown role', { role: 'admin', active: true }],
  ])('%s makes the operator inactive', async (_label, data) => {
    const id = `o-auth-bad-${counter++}`;
    await cloud.database().collection('operators').doc(id).set({ data });
    const answer = await callAs(emu, id, 'ops', { action: 'queue' });
    console.log(`[case 5] ${JSON.stringify(data)} queue → ${JSON.stringify(answer)}`);
    expect(answer).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
    const before = moneyState();
    expect(await supervisorDoes('freeze', people.lost.openid, 'FRAUD_SUSPECTED')).toMatchObject({ ok: true });
    expect(
      await callAs(emu, id, 'ops', {
        action: 'unfreeze',
        openid: people.lost.openid,
        reasonCode: 'CUSTOMER_REQUEST',
        reason: '解除冻结测试',
      }),
    ).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
    expect(
      docs<{ _id: string; frozen: boolean }>(emu, 'borrowers').find((b) => b._id === people.lost.openid),
    ).toMatchObject({ frozen: true });
    expect(await supervisorDoes('unfreeze', people.lost.openid, 'INVESTIGATION_CLEARED')).toMatchObject({
      ok: true,
    });
    expect(moneyState()).toBe(before);
  });
});

describe('6. a lost final notification never shows a stale confirm button', () => {
  it('progress asks WeChat once the package is a few seconds old', async () => {
    const sandbox = emu.hub.service<WechatPaySandbox>('wechatpay');
    sandbox.addFault({ target: 'notification', kind: 'drop', count: 5 });
    const app = await applyFor(people.lost.openid, 20_000);
    expect(app.status).toBe('manual_review');
    await callAs(emu, REVIEWER, 'ops', { action: 'claim', applicationId: app.id });
    const decide = (op: string) => decideAs(op, app.id, 'approve', '核实通过');
    expect(await decide(REVIEWER)).toMatchObject({ ok: true, data: { status: 'awaiting_second_approval' } });
    expect(await decideAs(CHECKER, app.id, 'approve', '核实通过')).toMatchObject({
      ok: true,
      data: { status: 'approved' },
    });
    // The approval answered at the decision; the progress page's first call starts the payout.
    const progress = () =>
      callAs<PayoutProgress>(emu, people.lost.openid, 'payout', { action: 'progress', loanId: app.id });
    let waiting = await progress();
    for (let i = 0; i < 5 && !(waiting.ok && waiting.data.confirmation); i++) {
      await steps(1);
      waiting = await progress();
    }
    expect(waiting).toMatchObject({ ok: true, data: { stage: 'awaiting_confirmation' } });
    const confirmation = waiting.ok ? waiting.data.confirmation : undefined;
    if (!confirmation) throw new Error('no confirmation package');
    const confirmed = await fetch(`${emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...confirmation, action: 'confirm' }),
    });
    expect(confirmed.ok).toBe(true);
    await steps(6);
    expect(
      sandbox.listBills().find((b) => b.bill.outBillNo.length > 0 && b.bill.openid === people.lost.openid)
        ?.bill.state,
    ).toBe('SUCCESS');
    const after = await callAs<PayoutProgress>(emu, people.lost.openid, 'payout', {
      action: 'progress',
      loanId: app.id,
    });
    console.log(`[case 6] progress after a lost SUCCESS notification → ${JSON.stringify(after)}`);
    expect(after).toMatchObject({ ok: true, data: { stage: 'disbursed' } });
    expect(after.ok && after.data.confirmation).toBeFalsy();
  });
});
