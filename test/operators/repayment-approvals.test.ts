import type { DatabaseService } from '../../emulator/src/database';
import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import type { AuditRecord } from '../../server/audit/chain';
import { BORROWERS } from '../../server/loan/application-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import { REPAYMENT_COLLECTIONS } from '../../server/repayment/plan-doc';
import { docs } from '../loan/emulator-harness';
import { chinaTime } from '../repayment/fixtures';
import {
  disbursedLoan,
  loanOf,
  planOf,
  startRepaymentHarness,
  type RepaymentHarness,
} from '../repayment/harness';
import { registerOperators, wbPost, wbSignIn } from './workbench-http-client';

/**
 * The 待复核 list of repayment actions awaiting a second operator, through HTTP access
 * (`/workbench/repayment/ops`, function workbenchRepayment) over the real SDK and the local
 * backend: content, masking, paging oldest first through the index, role refusals, the maker
 * refused as checker, approvals and rejections leaving the list.
 */

jest.setTimeout(120_000);

let h: RepaymentHarness;
const tokens: Record<string, string> = {};
const loans = { offline: '', writeOff: '', later: '' };
const approvals = { offline: '', writeOff: '', later: '' };
/** The backend's clock just before each request was made (its clock keeps running). */
const madeAfter = { offline: 0, writeOff: 0, later: 0 };

const ops = (who: string, action: string, input: Record<string, unknown> = {}) =>
  wbPost(h.emu, '/repayment/ops', { action, ...input }, tokens[who]);

function auditOf(event: string) {
  return docs<AuditRecord>(h.emu, AUDIT_COLLECTION)
    .map((r) => r.entry)
    .filter((e) => e.event === event);
}

beforeAll(async () => {
  h = await startRepaymentHarness();
  await h.setClock(chinaTime('2026-03-01T10:00:00'));
  const registered = await registerOperators([
    ['polly', 'payout_officer'],
    ['sam', 'supervisor'],
    ['sue', 'supervisor'],
    ['audra', 'auditor'],
    ['rita', 'reviewer'],
  ]);
  for (const [login, enrollment] of Object.entries(registered))
    tokens[login] = await wbSignIn(h.emu, enrollment);
  // Three requests above the 300 元 threshold, a minute apart: polly's offline repayment, sam's write-off, polly's second.
  for (const kind of ['offline', 'writeOff', 'later'] as const) {
    const { loanId, openid } = await disbursedLoan(h, { amount: 50_000 });
    loans[kind] = loanId;
    if (kind === 'offline')
      await h.docs.transact(async (tx) => {
        const borrower = await tx.get<StoredDoc & { version: number }>(BORROWERS, openid);
        await tx.put(BORROWERS, {
          ...(borrower as StoredDoc & { version: number }),
          identity: { masked: { name: '*三', idNumber: '1****************X', phone: '138****5678' } },
        });
      });
    await h.advance(60_000);
    madeAfter[kind] = h.now();
    const answer =
      kind === 'writeOff'
        ? await ops('sam', 'repaymentWriteOff', { loanId, reasonCode: 'UNCOLLECTABLE', note: '多次催收无果' })
        : await ops('polly', 'repaymentOffline', {
            loanId,
            amount: 40_000,
            kind: 'due',
            evidence: 'BANK-REF-20260301-0001',
            reasonCode: 'BANK_TRANSFER',
            requestId: `offline-${loanId}`,
          });
    if (answer.body.data?.status !== 'awaiting_second_approval') throw new Error(JSON.stringify(answer.body));
    approvals[kind] = answer.body.data.approvalId as string;
  }
});

afterAll(async () => h?.stop());

test('the list: every awaiting action oldest first with loan, kind, amount in fen, maker, time and reason; masked', async () => {
  const answer = await ops('audra', 'repaymentPendingApprovals');
  expect(answer.status).toBe(200);
  expect(answer.body.data.items).toEqual([
    {
      loanId: loans.offline,
      approvalId: approvals.offline,
      kind: 'offline',
      amount: 40_000,
      maker: 'wb:polly',
      requestedAt: expect.any(Number),
      reasonCode: 'BANK_TRANSFER',
      note: null,
      evidence: 'BA****************0001',
      borrower: { maskedName: '*三' },
    },
    expect.objectContaining({
      loanId: loans.writeOff,
      kind: 'writeOff',
      amount: 50_000,
      maker: 'wb:sam',
      requestedAt: expect.any(Number),
      reasonCode: 'UNCOLLECTABLE',
      note: '多次催收无果',
      evidence: null,
      borrower: null,
    }),
    expect.objectContaining({ loanId: loans.later, kind: 'offline', maker: 'wb:polly' }),
  ]);
  expect(answer.body.data.nextOffset).toBeNull();
  const times = answer.body.data.items.map((i: { requestedAt: number }) => i.requestedAt);
  expect(times[0]).toBeGreaterThanOrEqual(madeAfter.offline);
  expect(times[0]).toBeLessThan(madeAfter.writeOff);
  expect(times[1]).toBeGreaterThanOrEqual(madeAfter.writeOff);
  expect(times[1]).toBeLessThan(madeAfter.later);
  expect(times[2]).toBeGreaterThanOrEqual(madeAfter.later);
  // Masked: neither the borrower's OPENID nor the full evidence reference leaves the function.
  const text = JSON.stringify(answer.body);
  expect(text).not.toContain('o-borrower-');
  expect(text).not.toContain('BANK-REF-20260301-0001');
  expect(auditOf('repayment.ops.pending_list')).toEqual([
    expect.objectContaining({ actor: 'wb:audra', details: { count: 3 } }),
  ]);
});

test('paged: limit and offset, oldest first, read through the pendingApproval.at index', async () => {
  const first = await ops('polly', 'repaymentPendingApprovals', { limit: 2 });
  expect(first.body.data.items.map((i: { loanId: string }) => i.loanId)).toEqual([
    loans.offline,
    loans.writeOff,
  ]);
  expect(first.body.data.nextOffset).toBe(2);
  const second = await ops('polly', 'repaymentPendingApprovals', { limit: 2, offset: 2 });
  expect(second.body.data.items.map((i: { loanId: string }) => i.loanId)).toEqual([loans.later]);
  expect(second.body.data.nextOffset).toBeNull();
  // The query the action sends finds its plans by the declared index, never by a scan of all plans.
  const explained = h.emu.hub
    .service<DatabaseService>('database')
    .explain(REPAYMENT_COLLECTIONS.plans, { 'pendingApproval.at': { $gte: 0 } });
  expect(explained).toMatchObject({ plan: 'index', index: 'pendingApproval_at', examined: 3, matched: 3 });
  expect(
    await ops('polly', 'repaymentPendingApprovals', { limit: 0 }).then((a) => [a.status, a.body.error?.code]),
  ).toEqual([400, 'INVALID_INPUT']);
});

test('role refusals: a reviewer may not list; a payout officer or an auditor may not check', async () => {
  expect(await ops('rita', 'repaymentPendingApprovals')).toMatchObject({
    status: 403,
    body: { error: { code: 'ROLE_FORBIDDEN' } },
  });
  const check = { loanId: loans.writeOff, approvalId: approvals.writeOff };
  for (const who of ['polly', 'audra']) {
    expect(await ops(who, 'repaymentApprove', check)).toMatchObject({
      status: 403,
      body: { error: { code: 'ROLE_FORBIDDEN' } },
    });
    expect(
      await ops(who, 'repaymentReject', { ...check, reasonCode: 'NOT_JUSTIFIED', note: '理由不充分' }),
    ).toMatchObject({ status: 403, body: { error: { code: 'ROLE_FORBIDDEN' } } });
  }
  expect(await wbPost(h.emu, '/repayment/ops', { action: 'repaymentPendingApprovals' })).toMatchObject({
    status: 401,
    body: { error: { code: 'SESSION_REQUIRED' } },
  });
});

test('the maker sees its request but cannot check it; another supervisor approves and it leaves the list', async () => {
  const check = { loanId: loans.writeOff, approvalId: approvals.writeOff };
  expect(await ops('sam', 'repaymentApprove', check)).toMatchObject({
    body: { error: { code: 'SAME_OPERATOR' } },
  });
  expect(
    await ops('sam', 'repaymentReject', { ...check, reasonCode: 'OPERATOR_ERROR', note: '本人撤回申请' }),
  ).toMatchObject({ body: { error: { code: 'SAME_OPERATOR' } } });
  expect((await loanOf(h, loans.writeOff)).status).toBe('repaying');
  expect(await ops('sue', 'repaymentApprove', check)).toMatchObject({
    status: 200,
    body: { ok: true, data: { status: 'done', writtenOffPrincipal: 50_000 } },
  });
  expect((await loanOf(h, loans.writeOff)).status).toBe('written_off');
  expect(auditOf('repayment.ops.write_off')).toEqual([
    expect.objectContaining({ actor: 'wb:sam', details: expect.objectContaining({ checker: 'wb:sue' }) }),
  ]);
  // Checked once: a second approval finds nothing to run.
  expect(await ops('sue', 'repaymentApprove', check)).toMatchObject({
    body: { error: { code: 'APPROVAL_NOT_FOUND' } },
  });
  const after = await ops('sam', 'repaymentPendingApprovals');
  expect(after.body.data.items.map((i: { loanId: string }) => i.loanId)).toEqual([
    loans.offline,
    loans.later,
  ]);
});

test('a rejection with a reason leaves the plan as it was and the list; bad input gets specific codes', async () => {
  const check = { loanId: loans.offline, approvalId: approvals.offline };
  const before = await planOf(h, loans.offline);
  for (const bad of [
    { ...check, reasonCode: 'NOT_JUSTIFIED' },
    { ...check, reasonCode: 'HARDSHIP', note: '理由不充分' },
    { ...check, approvalId: 'not-hex', reasonCode: 'NOT_JUSTIFIED', note: '理由不充分' },
  ])
    expect(await ops('sam', 'repaymentReject', bad)).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_INPUT' } },
    });
  expect(
    await ops('sam', 'repaymentReject', {
      ...check,
      approvalId: '0123456789abcdef',
      reasonCode: 'NOT_JUSTIFIED',
      note: '理由不充分',
    }),
  ).toMatchObject({ body: { error: { code: 'APPROVAL_NOT_FOUND' } } });
  expect(
    await ops('sam', 'repaymentReject', {
      ...check,
      reasonCode: 'EVIDENCE_INSUFFICIENT',
      note: '回单与流水不符',
    }),
  ).toMatchObject({
    status: 200,
    body: { ok: true, data: { status: 'rejected', approvalId: approvals.offline } },
  });
  const plan = await planOf(h, loans.offline);
  expect(plan.pendingApproval).toBeNull();
  expect({ ...plan, pendingApproval: undefined, version: 0, updatedAt: 0 }).toEqual({
    ...before,
    pendingApproval: undefined,
    version: 0,
    updatedAt: 0,
  });
  expect(auditOf('repayment.ops.offline.rejected')).toEqual([
    expect.objectContaining({
      actor: 'wb:sam',
      details: expect.objectContaining({
        maker: 'wb:polly',
        amount: 40_000,
        reasonCode: 'EVIDENCE_INSUFFICIENT',
      }),
    }),
  ]);
  const after = await ops('polly', 'repaymentPendingApprovals');
  expect(after.body.data.items.map((i: { loanId: string }) => i.loanId)).toEqual([loans.later]);
});

test('an approved offline repayment names its checker on the order and in the audit, then leaves the list', async () => {
  expect(
    await ops('sam', 'repaymentApprove', { loanId: loans.later, approvalId: approvals.later }),
  ).toMatchObject({ status: 200, body: { ok: true, data: { status: 'done', replayed: false } } });
  const orders = docs<{ loanId: string; offline?: { operator: string; checker?: string } }>(
    h.emu,
    REPAYMENT_COLLECTIONS.orders,
  ).filter((o) => o.loanId === loans.later);
  expect(orders.map((o) => o.offline)).toEqual([
    { operator: 'wb:polly', evidence: 'BANK_TRANSFER:BANK-REF-20260301-0001', checker: 'wb:sam' },
  ]);
  expect(auditOf('repayment.applied').filter((e) => e.subject === `loan:${loans.later}`)).toEqual([
    expect.objectContaining({ actor: 'wb:polly', details: expect.objectContaining({ checker: 'wb:sam' }) }),
  ]);
  expect(await ops('audra', 'repaymentPendingApprovals')).toMatchObject({
    body: { data: { items: [], nextOffset: null } },
  });
});

test('a plan holds one awaiting request: a small offline repayment leaves it pending, a second large one is refused', async () => {
  const { loanId } = await disbursedLoan(h, { amount: 50_000 });
  const writeOff = await ops('sam', 'repaymentWriteOff', {
    loanId,
    reasonCode: 'UNCOLLECTABLE',
    note: '多次催收无果',
  });
  expect(writeOff.body.data).toMatchObject({ status: 'awaiting_second_approval' });
  expect(
    await ops('polly', 'repaymentOffline', {
      loanId,
      amount: 10_000,
      kind: 'due',
      evidence: 'BANK-REF-20260301-0002',
      reasonCode: 'BANK_TRANSFER',
      requestId: `small-${loanId}`,
    }),
  ).toMatchObject({ body: { ok: true, data: { status: 'done' } } });
  expect((await planOf(h, loanId)).pendingApproval).toMatchObject({
    id: writeOff.body.data.approvalId,
    action: 'writeOff',
  });
  // A second request above the threshold waits until the first one is checked: never overwritten.
  expect(
    await ops('polly', 'repaymentOffline', {
      loanId,
      amount: 35_000,
      kind: 'payoff',
      evidence: 'BANK-REF-20260301-0003',
      reasonCode: 'BANK_TRANSFER',
      requestId: `large-${loanId}`,
    }),
  ).toMatchObject({ body: { ok: false, error: { code: 'APPROVAL_PENDING' } } });
  expect((await planOf(h, loanId)).pendingApproval).toMatchObject({ action: 'writeOff', maker: 'wb:sam' });
  // The same request again is the same request (same approval id, still as old), not a second one.
  const waiting = (await planOf(h, loanId)).pendingApproval;
  await h.advance(60_000);
  expect(
    await ops('sam', 'repaymentWriteOff', { loanId, reasonCode: 'UNCOLLECTABLE', note: '多次催收无果' }),
  ).toMatchObject({ body: { data: { approvalId: writeOff.body.data.approvalId } } });
  expect((await planOf(h, loanId)).pendingApproval).toEqual(waiting);
  const listed = await ops('audra', 'repaymentPendingApprovals');
  expect(listed.body.data.items.map((i: { loanId: string }) => i.loanId)).toEqual([loanId]);
});

test('a write-off below the threshold waits for a pending request on the loan to be decided first', async () => {
  const { loanId } = await disbursedLoan(h, { amount: 30_000 });
  const offline = await ops('polly', 'repaymentOffline', {
    loanId,
    amount: 30_100,
    kind: 'due',
    evidence: 'BANK-REF-20260301-0004',
    reasonCode: 'BANK_TRANSFER',
    requestId: `edge-${loanId}`,
  });
  expect(offline.body.data).toMatchObject({ status: 'awaiting_second_approval' });
  // 300 元 of principal is not above the threshold: the write-off would run at once, but waits.
  expect(
    await ops('sam', 'repaymentWriteOff', { loanId, reasonCode: 'UNCOLLECTABLE', note: '多次催收无果' }),
  ).toMatchObject({ body: { ok: false, error: { code: 'APPROVAL_PENDING' } } });
  expect((await loanOf(h, loanId)).status).toBe('repaying');
  expect((await planOf(h, loanId)).pendingApproval).toMatchObject({ id: offline.body.data.approvalId });
});
