import { createHash } from 'node:crypto';
import cloud from 'wx-server-sdk';
import type { TestEmulator } from '../helpers/emulator';
import { IDS } from './memory-fixtures';
import {
  callAs,
  callAsConsole,
  docs,
  lendingLogs,
  openapiOutbox,
  startLendingEmulator,
  userAction,
  verifyBorrower,
} from './emulator-harness';

/**
 * The lending core end to end: real wx-server-sdk inside the local function runtime, the local
 * database, the openapi fakes, called through the mini-program gateway and as the console.
 */

const AGREEMENT = '借款协议 2026-01 全文……';
const consent = {
  accepted: true,
  version: '2026-01',
  textSha256: createHash('sha256').update(AGREEMENT).digest('hex'),
};
const people = {
  approve: { openid: 'o-lend-approve', name: '张三', idNumber: IDS.approve, phone: '13800000001' },
  review: { openid: 'o-lend-review', name: '李四', idNumber: IDS.review, phone: '13800000002' },
  reject: { openid: 'o-lend-reject', name: '王五', idNumber: IDS.reject, phone: '13800000003' },
  racer: { openid: 'o-lend-racer', name: '赵六', idNumber: '510107198809096542', phone: '13800000004' },
  // The openapi fake gives an openid ending in `risk3` WeChat risk rank 3 (emulator/src/openapi/test-data.ts).
  risky: { openid: 'o-lend-risk3', name: '钱七', idNumber: IDS.thin, phone: '13800000005' },
};
const OPERATOR_A = 'o-operator-a';
const OPERATOR_B = 'o-operator-b';

let emu: TestEmulator;
let counter = 0;
const requestId = (): string => `req-${Date.now().toString(36)}-${(counter += 1)}`;
const apply = (amount: unknown, extra: Record<string, unknown> = {}) => ({
  action: 'apply',
  requestId: requestId(),
  amount,
  termMonths: 6,
  method: 'equal_instalment',
  purpose: 'consumption',
  deviceFingerprint: `device-fingerprint-${counter}`,
  consent,
  ...extra,
});

beforeAll(async () => {
  emu = await startLendingEmulator();
  for (const person of Object.values(people)) await verifyBorrower(emu, person.openid, person);
  const db = cloud.database();
  await db
    .collection('operators')
    .doc(OPERATOR_A)
    .set({ data: { role: 'reviewer', active: true } });
  await db
    .collection('operators')
    .doc(OPERATOR_B)
    .set({ data: { role: 'supervisor', active: true } });
  await userAction(emu, '/_user/subscribe', { openid: people.approve.openid, tmplIds: ['loan-status'] });
}, 120_000);

afterAll(async () => {
  await emu.stop();
});

describe('verify → quote → apply → decision → operator → outbox', () => {
  let reviewId = '';

  it('quote offers only what payout can pay and a schedule that sums exactly', async () => {
    const answer = await callAs<{
      offer: { maxAmount: number };
      quote: { totalRepayment: number; totalInterest: number; schedule: Array<{ total: number }> };
    }>(emu, people.approve.openid, 'loan', {
      action: 'quote',
      amount: 50_000,
      termMonths: 12,
      method: 'equal_principal',
    });
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.data.offer.maxAmount).toBe(50_000);
    expect(answer.data.quote.schedule.reduce((s, i) => s + i.total, 0)).toBe(
      answer.data.quote.totalRepayment,
    );
    expect(answer.data.quote.totalRepayment).toBe(50_000 + answer.data.quote.totalInterest);
  });

  it('approve, manual review and reject are each reached automatically', async () => {
    const approved = await callAs<{
      applicationId: string;
      application: { status: string; timeline: Array<{ status: string }> };
    }>(emu, people.approve.openid, 'loan', apply(50_000));
    expect(approved.ok).toBe(true);
    if (approved.ok) {
      // The automatic approval starts the payout before `apply` answers: the loan is already past `approved`.
      const { applicationId, application } = approved.data;
      // The sandbox answers the create at once; it asks the borrower to confirm only on a later step.
      const timeline = application.timeline.map((t) => t.status);
      expect(timeline.slice(0, 4)).toEqual(['submitted', 'scoring', 'approved', 'disbursing']);
      expect(['disbursing', 'awaiting_confirmation']).toContain(application.status);
      expect(timeline[timeline.length - 1]).toBe(application.status);
      const payout = docs<{ _id: string }>(emu, 'payouts').find((p) => p._id === applicationId);
      expect(payout).toBeDefined();
    }
    const review = await callAs<{ applicationId: string; application: { status: string } }>(
      emu,
      people.review.openid,
      'loan',
      apply(20_000),
    );
    expect(review).toMatchObject({ ok: true, data: { application: { status: 'manual_review' } } });
    if (review.ok) reviewId = review.data.applicationId;
    const rejected = await callAs<{
      application: { status: string; explanation: { reasons: string[]; appeal: string } };
    }>(emu, people.reject.openid, 'loan', apply(20_000));
    expect(rejected).toMatchObject({ ok: true, data: { application: { status: 'rejected' } } });
    if (rejected.ok) {
      expect(rejected.data.application.explanation.reasons.length).toBeGreaterThan(0);
      expect(JSON.stringify(rejected.data.application.explanation)).not.toMatch(/CREDIT_|score|rulesHit/);
    }
    const stored = docs<{
      status: string;
      decision?: { policyVersion: string; inputs: unknown; score: number };
      consent: { textSha256: string; clientIp: string };
    }>(emu, 'loanApplications');
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (const app of stored) {
      expect(app.decision?.policyVersion).toBeTruthy();
      expect(app.consent).toMatchObject({ textSha256: consent.textSha256, clientIp: '203.0.113.9' });
    }
  });

  it("WeChat's risk rank (riskControl.getUserRiskRank) reaches the decision", async () => {
    const answer = await callAs<{ application: { status: string; explanation: { reasons: string[] } } }>(
      emu,
      people.risky.openid,
      'loan',
      apply(20_000),
    );
    expect(answer).toMatchObject({ ok: true, data: { application: { status: 'rejected' } } });
    if (answer.ok)
      expect(answer.data.application.explanation.reasons).toContain('账户安全状况需要进一步核实');
  });

  it('the approved borrower gets a subscribe message; the one without a grant gets a content-free SMS', async () => {
    const sent = openapiOutbox(emu, 'message');
    expect(sent.some((m) => m.payload.touser === people.approve.openid)).toBe(true);
    const sms = openapiOutbox(emu, 'sms');
    expect(sms.length).toBeGreaterThan(0);
    for (const s of sms) {
      // Transactional notice: an approved Notification template with parameters, never Marketing text.
      expect(s.payload).toMatchObject({ sms_type: 'Notification', template_id: 'loan-status-sms' });
      expect(s.payload.content).toBeUndefined();
      expect((s.payload.template_param_list as string[]).join('')).not.toMatch(/借|贷|款|还|元/);
    }
    const outbox = docs<{ state: string; openid: string; channel?: string }>(emu, 'notificationOutbox');
    expect(outbox.filter((o) => o.state === 'sent').length).toBeGreaterThanOrEqual(2);
  });

  it('an operator claims and decides; the borrower is notified through the outbox', async () => {
    const queue = await callAs<{ items: Array<{ id: string; score: number }> }>(emu, OPERATOR_A, 'ops', {
      action: 'queue',
      status: 'manual_review',
    });
    expect(queue.ok && queue.data.items.map((i) => i.id)).toEqual([reviewId]);
    expect(await callAs(emu, OPERATOR_A, 'ops', { action: 'claim', applicationId: reviewId })).toMatchObject({
      ok: true,
    });
    const first = await callAs(emu, OPERATOR_A, 'ops', {
      action: 'decide',
      applicationId: reviewId,
      decision: 'approve',
      note: '收入证明齐全',
    });
    expect(first).toMatchObject({
      ok: true,
      data: { status: 'awaiting_second_approval', firstApprovalBy: OPERATOR_A },
    });
    expect(
      await callAs(emu, OPERATOR_A, 'ops', {
        action: 'decide',
        applicationId: reviewId,
        decision: 'approve',
        note: '再批一次',
      }),
    ).toMatchObject({ ok: false, error: { code: 'SAME_OPERATOR' } });
    const second = await callAs(emu, OPERATOR_B, 'ops', {
      action: 'decide',
      applicationId: reviewId,
      decision: 'approve',
      note: '复核通过',
    });
    expect(second).toMatchObject({ ok: true, data: { status: 'approved' } });
    const view = await callAs<{ status: string; timeline: Array<{ status: string }> }>(
      emu,
      people.review.openid,
      'loan',
      { action: 'get', applicationId: reviewId },
    );
    // After approval the payout side (wired into ops) may already have moved the loan on.
    const timeline = view.ok ? view.data.timeline.map((t) => t.status) : [];
    expect(timeline.slice(0, 5)).toEqual([
      'submitted',
      'scoring',
      'manual_review',
      'awaiting_second_approval',
      'approved',
    ]);
    for (const later of timeline.slice(5)) {
      expect(['disbursing', 'awaiting_confirmation', 'disbursed', 'disbursement_failed']).toContain(later);
    }
    const outbox = docs<{ applicationId: string; status: string }>(emu, 'notificationOutbox').filter(
      (o) => o.applicationId === reviewId,
    );
    expect(outbox.map((o) => o.status)).toEqual(expect.arrayContaining(['approved', 'manual_review']));
    expect(await callAsConsole('ops', { action: 'verifyAudit' })).toMatchObject({
      ok: true,
      data: { ok: true },
    });
  });

  it('console calls run the review sweep and the outbox delivery', async () => {
    expect(await callAsConsole('review', { action: 'sweep' })).toMatchObject({
      ok: true,
      data: { reviewed: 0 },
    });
    expect(await callAsConsole('notify', { action: 'deliver' })).toMatchObject({ ok: true });
  });

  it('a supervisor reveals identity only with a reason, and the audit keeps the reason, not the data', async () => {
    const revealed = await callAs(emu, OPERATOR_B, 'ops', {
      action: 'reveal',
      openid: people.review.openid,
      reasonCode: 'CUSTOMER_REQUEST',
      reason: '客户来电核实身份',
    });
    expect(revealed).toMatchObject({
      ok: true,
      data: { name: people.review.name, idNumber: people.review.idNumber },
    });
    expect(
      await callAs(emu, OPERATOR_B, 'ops', { action: 'reveal', openid: people.review.openid }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const audit = JSON.stringify(docs(emu, 'auditLog'));
    expect(audit).toContain('客户来电核实身份');
    for (const p of Object.values(people)) {
      expect(audit).not.toContain(p.idNumber);
      expect(audit).not.toContain(p.phone);
    }
  });
});

describe('bad inputs and identity spoofing leave nothing stored', () => {
  const before = () => JSON.stringify([docs(emu, 'loanApplications'), docs(emu, 'borrowers')]);

  it.each([
    [0, 'AMOUNT_INVALID'],
    [-1, 'AMOUNT_INVALID'],
    ['100', 'AMOUNT_INVALID'],
    [1e21, 'AMOUNT_INVALID'],
    [100.5, 'AMOUNT_INVALID'],
    [null, 'AMOUNT_INVALID'],
    [{ $gt: 0 }, 'AMOUNT_INVALID'],
    [5_000, 'AMOUNT_BELOW_MINIMUM'],
    [60_000, 'AMOUNT_ABOVE_MAXIMUM'],
  ])('amount %p → %s', async (amount, code) => {
    const snapshot = before();
    expect(await callAs(emu, people.racer.openid, 'loan', apply(amount))).toMatchObject({
      ok: false,
      error: { code },
    });
    expect(before()).toBe(snapshot);
  });

  it('NaN arrives as null through JSON and is refused', async () => {
    expect(await callAs(emu, people.racer.openid, 'loan', apply(Number.NaN))).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_INVALID' },
    });
  });

  it.each(['status', 'riskScore', 'approvedBy', '_id', '_openid', 'OPENID', 'operatorId'])(
    'mass assignment of %s is refused',
    async (key) => {
      const snapshot = before();
      const answer = await callAs(
        emu,
        people.racer.openid,
        'loan',
        apply(20_000, { [key]: key === 'riskScore' ? 999 : 'approved' }),
      );
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(before()).toBe(snapshot);
    },
  );

  it('a banned purpose is refused with a clear reason', async () => {
    const answer = await callAs(
      emu,
      people.racer.openid,
      'loan',
      apply(20_000, { purposeDescription: '用来买比特币' }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'PURPOSE_BANNED' } });
  });

  it('query-injection objects as ids are refused', async () => {
    for (const applicationId of [{ $ne: '' }, { $where: '1' }, ['x'], 'a.b', '__proto__']) {
      expect(await callAs(emu, people.racer.openid, 'loan', { action: 'get', applicationId })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(
      await callAs(emu, OPERATOR_B, 'ops', { action: 'freeze', openid: { $ne: '' }, reason: '测试注入攻击' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it("another borrower's application looks missing and cannot be cancelled or appealed", async () => {
    const theirs = docs<{ _id: string; openid: string; status: string }>(emu, 'loanApplications').find(
      (a) => a.openid === people.reject.openid,
    );
    const id = theirs?._id ?? '';
    const snapshot = before();
    for (const data of [
      { action: 'get', applicationId: id },
      { action: 'cancel', applicationId: id },
      { action: 'appeal', applicationId: id, reason: '冒充' },
    ]) {
      expect(await callAs(emu, people.racer.openid, 'loan', data)).toMatchObject({
        ok: false,
        error: { code: 'APPLICATION_NOT_FOUND' },
      });
    }
    expect(before()).toBe(snapshot);
  });

  it('operator, review and notify actions from a wx_client caller without a role are refused', async () => {
    const snapshot = before();
    const reviewId = docs<{ _id: string }>(emu, 'loanApplications')[0]?._id ?? '';
    expect(
      await callAs(emu, people.racer.openid, 'ops', {
        action: 'decide',
        applicationId: reviewId,
        decision: 'approve',
        note: '自己批',
      }),
    ).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
    expect(await callAs(emu, people.racer.openid, 'ops', { action: 'verifyAudit' })).toMatchObject({
      ok: false,
      error: { code: 'OPERATOR_REQUIRED' },
    });
    expect(
      await callAs(emu, people.racer.openid, 'review', { action: 'review', applicationId: reviewId }),
    ).toMatchObject({ ok: false, error: { code: 'REVIEW_FORBIDDEN' } });
    expect(await callAs(emu, people.racer.openid, 'notify', { action: 'deliver' })).toMatchObject({
      ok: false,
      error: { code: 'NOTIFY_FORBIDDEN' },
    });
    expect(
      await callAs(emu, OPERATOR_A, 'ops', {
        action: 'freeze',
        openid: people.racer.openid,
        reasonCode: 'FRAUD_SUSPECTED',
        reason: '没有主管权限',
      }),
    ).toMatchObject({ ok: false, error: { code: 'SUPERVISOR_REQUIRED' } });
    expect(before()).toBe(snapshot);
  });

  it('50 concurrent applies for one borrower create exactly one application', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => callAs(emu, people.racer.openid, 'loan', apply(20_000))),
    );
    const oks = answers.filter((a) => a.ok);
    expect(oks).toHaveLength(1);
    for (const a of answers.filter((x) => !x.ok))
      expect(a).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(ACTIVE_APPLICATION_EXISTS|CONCURRENT_UPDATE)$/) },
      });
    expect(
      docs<{ openid: string }>(emu, 'loanApplications').filter((a) => a.openid === people.racer.openid),
    ).toHaveLength(1);
  }, 120_000);
});

describe('audit chain', () => {
  it('an edit of an audit document behind the product\u2019s back is reported as the first broken link', async () => {
    expect(await callAs(emu, OPERATOR_B, 'ops', { action: 'verifyAudit' })).toMatchObject({
      ok: true,
      data: { ok: true },
    });
    await cloud
      .database()
      .collection('auditLog')
      .doc('a000000000003')
      .update({ data: { entry: { outcome: 'refused' } } });
    expect(await callAsConsole('ops', { action: 'verifyAudit' })).toMatchObject({
      ok: true,
      data: { ok: false, brokenAt: 3 },
    });
  });

  it('no lending function logged personal data', () => {
    const logs = lendingLogs(emu);
    for (const p of Object.values(people))
      for (const secret of [p.name, p.idNumber, p.phone]) expect(logs.includes(secret)).toBe(false);
  });
});
