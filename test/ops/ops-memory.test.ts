import { AUDIT_COLLECTION, AUDIT_REFUSALS } from '../../server/audit/audit-log';
import { verifyAudit as verifyChain } from '../../server/audit/verify';
import type { AuditRecord } from '../../server/audit/chain';
import { applyForLoan } from '../../server/loan/apply';
import { appealApplication } from '../../server/loan/borrower-actions';
import { reviewApplication } from '../../server/loan/review';
import {
  revealBorrower,
  setBlacklisted,
  setFrozen,
  verifyAuditChain,
} from '../../server/ops/borrower-controls';
import { authenticateOperator, OPERATORS, type Operator } from '../../server/ops/operator-auth';
import { claimApplication, decideApplication } from '../../server/ops/review-actions';
import { reviewQueue } from '../../server/ops/review-queue';
import type { Caller } from '../../server/runtime/caller';
import { applyRequest, IDS, memoryDeps, seedBorrower } from '../loan/memory-fixtures';

const caller = (openid: string | undefined, source: string): Caller => ({
  openid,
  appid: undefined,
  unionid: undefined,
  clientIp: undefined,
  source,
});
const reviewer: Operator = { id: 'op-r', role: 'reviewer' };
const supervisor: Operator = { id: 'op-s', role: 'supervisor' };

async function setup() {
  const deps = memoryDeps();
  await deps.store.transact(async (tx) => {
    await tx.put(OPERATORS, { _id: 'op-r', role: 'reviewer', active: true });
    await tx.put(OPERATORS, { _id: 'op-gone', role: 'supervisor', active: false });
  });
  return deps;
}

describe('operator authentication', () => {
  it('console calls pass; client calls need an active role; refusals are audited', async () => {
    const deps = await setup();
    await expect(
      authenticateOperator(deps.store, deps.clock, caller(undefined, 'scf'), 'queue'),
    ).resolves.toEqual({ id: 'console', role: 'console' });
    await expect(
      authenticateOperator(deps.store, deps.clock, caller('op-r', 'wx_client'), 'queue'),
    ).resolves.toEqual({ id: 'op-r', role: 'reviewer' });
    for (const c of [
      caller(undefined, 'wx_client'),
      caller('borrower-1', 'wx_client'),
      caller('op-gone', 'wx_client'),
      caller('borrower-1', 'wx_client,scf'),
    ]) {
      await expect(authenticateOperator(deps.store, deps.clock, c, 'decide')).rejects.toMatchObject({
        code: 'OPERATOR_REQUIRED',
      });
    }
    const refusals = ([...deps.store.raw(AUDIT_REFUSALS).values()] as unknown as AuditRecord[]).filter(
      (r) => r.entry.outcome === 'refused',
    );
    expect(refusals).toHaveLength(3);
  });
});

describe('operator actions', () => {
  it('freeze blocks applying, unfreeze allows it again; reviewers may not freeze', async () => {
    const deps = await setup();
    await seedBorrower(deps.store, 'u1', IDS.review);
    await expect(setFrozen(deps, reviewer, 'u1', true, '可疑交易核查')).rejects.toMatchObject({
      code: 'SUPERVISOR_REQUIRED',
    });
    await setFrozen(deps, supervisor, 'u1', true, '可疑交易核查');
    await expect(
      applyForLoan(deps, applyRequest('req-frozen-01'), { openid: 'u1', clientIp: null }),
    ).rejects.toMatchObject({ code: 'BORROWER_FROZEN' });
    await setFrozen(deps, supervisor, 'u1', false, '核查完毕解除');
    await expect(
      applyForLoan(deps, applyRequest('req-frozen-02'), { openid: 'u1', clientIp: null }),
    ).resolves.toMatchObject({
      replayed: false,
      status: expect.stringMatching(/^(approved|manual_review)$/),
    });
  });

  it('a blacklisted identity is rejected by review', async () => {
    const deps = await setup();
    await seedBorrower(deps.store, 'u2', IDS.approve);
    await setBlacklisted(deps, supervisor, 'u2', true, '冒用身份确认');
    const answer = await applyForLoan(deps, applyRequest('req-black-01'), { openid: 'u2', clientIp: null });
    const decision = await reviewApplication(deps, answer.applicationId);
    expect(decision).toMatchObject({
      outcome: 'rejected',
      rulesHit: expect.arrayContaining(['BLACKLISTED']),
    });
  });

  it('reveal needs a supervisor, a reason and an available identity port; the reason is audited', async () => {
    const deps = await setup();
    await seedBorrower(deps.store, 'u3', IDS.approve);
    const port = async () => ({ name: '张三' });
    await expect(revealBorrower(deps, port, reviewer, 'u3', '客户投诉核实')).rejects.toMatchObject({
      code: 'SUPERVISOR_REQUIRED',
    });
    await expect(revealBorrower(deps, undefined, supervisor, 'u3', '客户投诉核实')).rejects.toMatchObject({
      code: 'REVEAL_UNAVAILABLE',
    });
    await expect(revealBorrower(deps, port, supervisor, 'u3', '客户投诉核实')).resolves.toEqual({
      name: '张三',
    });
    const reveal = ([...deps.store.raw(AUDIT_COLLECTION).values()] as unknown as AuditRecord[]).find(
      (r) => r.entry.event === 'borrower.reveal',
    );
    expect(reveal?.entry).toMatchObject({ actor: 'op-s', details: { reason: '客户投诉核实' } });
    expect(JSON.stringify(reveal)).not.toContain('张三');
  });

  it('appeals: a rejected borrower appeals; an operator overturns or denies', async () => {
    const deps = await setup();
    await seedBorrower(deps.store, 'u4', IDS.reject);
    await seedBorrower(deps.store, 'u5', IDS.reject);
    const ids: string[] = [];
    for (const openid of ['u4', 'u5']) {
      const answer = await applyForLoan(deps, applyRequest(`req-appeal-${openid}`), {
        openid,
        clientIp: null,
      });
      await reviewApplication(deps, answer.applicationId);
      await appealApplication(deps, openid, answer.applicationId, '已结清逾期，附结清证明');
      ids.push(answer.applicationId);
    }
    await expect(appealApplication(deps, 'u4', ids[0] ?? '', '再次复议')).rejects.toMatchObject({
      code: 'NOT_APPEALABLE',
    });
    const queue = await reviewQueue(deps.store, {
      status: 'appealed',
      operatorId: 'op-r',
      offset: 0,
      limit: 20,
    });
    expect(queue.map((q) => q.appealReason)).toEqual(['已结清逾期，附结清证明', '已结清逾期，附结清证明']);
    await claimApplication(deps, reviewer, ids[0] ?? '');
    await claimApplication(deps, reviewer, ids[1] ?? '');
    expect(
      await decideApplication(deps, reviewer, {
        applicationId: ids[0] ?? '',
        decision: 'approve',
        note: '证明属实',
      }),
    ).toMatchObject({ status: 'approved' });
    expect(
      await decideApplication(deps, reviewer, {
        applicationId: ids[1] ?? '',
        decision: 'reject',
        note: '证明不足',
      }),
    ).toMatchObject({ status: 'appeal_denied' });
    expect(await verifyAuditChain(deps, supervisor)).toMatchObject({ ok: true });
    expect(await verifyChain(deps.store)).toMatchObject({ ok: true });
  });
});
