import fc from 'fast-check';
import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import { verifyAudit as verifyChain } from '../../server/audit/verify';
import type { AuditRecord } from '../../server/audit/chain';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../../server/loan/application-doc';
import { appealApplication, cancelApplication, getApplication } from '../../server/loan/borrower-actions';
import { reviewApplication } from '../../server/loan/review';
import { canTransition, isActive } from '../../server/loan/transitions';
import { OUTBOX, type OutboxDoc } from '../../server/outbox/outbox-doc';
import { claimApplication, decideApplication } from '../../server/ops/review-actions';
import type { Operator } from '../../server/ops/operator-auth';
import { AppError } from '../../server/runtime/app-error';
import { applyRequest, IDS, memoryDeps, seedBorrower } from './memory-fixtures';

const alice: Operator = { id: 'op-alice', role: 'reviewer' };
const bob: Operator = { id: 'op-bob', role: 'reviewer' };

async function applyAndReview(
  deps: ReturnType<typeof memoryDeps>,
  openid: string,
  requestId: string,
  amount = 20_000,
) {
  const answer = await applyForLoan(deps, applyRequest(requestId, amount), { openid, clientIp: '10.0.0.1' });
  await reviewApplication(deps, answer.applicationId);
  return getApplication(deps, openid, answer.applicationId);
}

describe('lending flow over the in-memory store', () => {
  it('reaches approve, manual review and reject with the documented identities', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-approve', IDS.approve);
    await seedBorrower(deps.store, 'u-review', IDS.review);
    await seedBorrower(deps.store, 'u-reject', IDS.reject);
    await seedBorrower(deps.store, 'u-old', IDS.tooOld);
    expect((await applyAndReview(deps, 'u-approve', 'req-approve-1', 50_000)).status).toBe('approved');
    expect((await applyAndReview(deps, 'u-review', 'req-review-1')).status).toBe('manual_review');
    const rejected = await applyAndReview(deps, 'u-reject', 'req-reject-1');
    expect(rejected.status).toBe('rejected');
    expect(rejected.explanation?.reasons.length).toBeGreaterThan(0);
    expect(rejected.appealable).toBe(true);
    expect((await applyAndReview(deps, 'u-old', 'req-old-0001')).explanation?.reasons).toContain(
      '年龄不在本产品的服务范围内',
    );
    const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-reject');
    expect(borrower?.activeApplicationId).toBeNull();
    expect(await verifyChain(deps.store)).toMatchObject({ ok: true });
  });

  it('maker-checker: an approval above the threshold needs a second, different operator; outbox records each change', async () => {
    const deps = memoryDeps({ config: { ...memoryDeps().config, makerCheckerAboveFen: 10_000 as never } });
    await seedBorrower(deps.store, 'u-review', IDS.review);
    const view = await applyAndReview(deps, 'u-review', 'req-review-2');
    expect(view.status).toBe('manual_review');
    await expect(
      decideApplication(deps, alice, { applicationId: view.id, decision: 'approve', note: 'ok' }),
    ).rejects.toMatchObject({ code: 'NOT_CLAIMED' });
    await claimApplication(deps, alice, view.id);
    await expect(claimApplication(deps, bob, view.id)).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
    const first = await decideApplication(deps, alice, {
      applicationId: view.id,
      decision: 'approve',
      note: '收入稳定',
    });
    expect(first.status).toBe('awaiting_second_approval');
    await expect(
      decideApplication(deps, alice, { applicationId: view.id, decision: 'approve', note: 'again' }),
    ).rejects.toMatchObject({ code: 'SAME_OPERATOR' });
    const second = await decideApplication(deps, bob, {
      applicationId: view.id,
      decision: 'approve',
      note: '复核通过',
    });
    expect(second.status).toBe('approved');
    const outbox = [...deps.store.raw(OUTBOX).values()] as OutboxDoc[];
    expect(outbox.map((o) => o.status).sort()).toEqual(['approved', 'manual_review']);
    expect(outbox.every((o) => o.state === 'pending' && o.openid === 'u-review')).toBe(true);
  });

  it('one active application per borrower; a repeated requestId returns the first answer', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u1', IDS.review);
    const first = await applyForLoan(deps, applyRequest('req-same-001'), { openid: 'u1', clientIp: null });
    const again = await applyForLoan(deps, applyRequest('req-same-001'), { openid: 'u1', clientIp: null });
    expect(again).toEqual({ ...first, replayed: true });
    await expect(
      applyForLoan(deps, applyRequest('req-same-001', 30_000), { openid: 'u1', clientIp: null }),
    ).rejects.toMatchObject({ code: 'REQUEST_ID_REUSED' });
    await expect(
      applyForLoan(deps, applyRequest('req-other-01'), { openid: 'u1', clientIp: null }),
    ).rejects.toMatchObject({ code: 'ACTIVE_APPLICATION_EXISTS' });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        applyForLoan(deps, applyRequest(`req-par-${String(i).padStart(4, '0')}`), {
          openid: 'u1',
          clientIp: null,
        }),
      ),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(deps.store.raw(APPLICATIONS).size).toBe(1);
  });

  it('AML: repeated near-cap applications freeze the borrower and file a report', async () => {
    const deps = memoryDeps();
    // A file that goes to manual review: still cancellable by the borrower after `apply` decided it.
    await seedBorrower(deps.store, 'u-aml', IDS.review);
    for (let i = 0; i < deps.aml.structuringCount; i += 1) {
      const answer = await applyForLoan(deps, applyRequest(`req-aml-${i}000`, 49_900), {
        openid: 'u-aml',
        clientIp: null,
      });
      // The application that trips the monitor is decided with the borrower frozen (rejected, no slot held).
      if (answer.status !== 'rejected') await cancelApplication(deps, 'u-aml', answer.applicationId);
    }
    const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-aml');
    expect(borrower?.frozen).toBe(true);
    expect(deps.store.raw('amlReports').size).toBe(1);
    await expect(
      applyForLoan(deps, applyRequest('req-aml-after'), { openid: 'u-aml', clientIp: null }),
    ).rejects.toMatchObject({ code: 'BORROWER_FROZEN' });
  });

  it('random borrower and operator actions never break the table, leave no transition unaudited, and the chain verifies', async () => {
    const borrowers = ['b0', 'b1', 'b2'];
    const idFor = [IDS.approve, IDS.review, IDS.reject];
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('apply' as const),
        who: fc.nat(2),
        amount: fc.constantFrom(10_000, 20_000, 50_000, 49_900),
      }),
      fc.record({ kind: fc.constant('cancel' as const), who: fc.nat(2), app: fc.nat(9) }),
      fc.record({ kind: fc.constant('appeal' as const), who: fc.nat(2), app: fc.nat(9) }),
      fc.record({ kind: fc.constant('claim' as const), op: fc.nat(1), app: fc.nat(9) }),
      fc.record({
        kind: fc.constant('decide' as const),
        op: fc.nat(1),
        app: fc.nat(9),
        approve: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('review' as const), app: fc.nat(9) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const deps = memoryDeps();
        for (const [i, openid] of borrowers.entries())
          await seedBorrower(deps.store, openid, idFor[i] ?? null);
        const ids = (): string[] => [...deps.store.raw(APPLICATIONS).keys()];
        let n = 0;
        for (const s of steps) {
          n += 1;
          deps.clock.advance(1_000);
          const appId = 'app' in s ? ids()[s.app % Math.max(1, ids().length)] : undefined;
          const operator = 'op' in s ? ([alice, bob][s.op] ?? alice) : alice;
          try {
            if (s.kind === 'apply') {
              const answer = await applyForLoan(deps, applyRequest(`req-${n}-prop`, s.amount), {
                openid: borrowers[s.who] ?? 'b0',
                clientIp: '10.0.0.9',
              });
              await reviewApplication(deps, answer.applicationId);
            } else if (!appId) continue;
            else if (s.kind === 'cancel') await cancelApplication(deps, borrowers[s.who] ?? 'b0', appId);
            else if (s.kind === 'appeal')
              await appealApplication(deps, borrowers[s.who] ?? 'b0', appId, '我的收入稳定');
            else if (s.kind === 'claim') await claimApplication(deps, operator, appId);
            else if (s.kind === 'decide')
              await decideApplication(deps, operator, {
                applicationId: appId,
                decision: s.approve ? 'approve' : 'reject',
                note: 'note',
              });
            else await reviewApplication(deps, appId);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
          }
        }
        const apps = [...deps.store.raw(APPLICATIONS).values()] as ApplicationDoc[];
        const audit = [...deps.store.raw(AUDIT_COLLECTION).values()] as unknown as AuditRecord[];
        for (const app of apps) {
          const statuses = app.timeline.map((t) => t.status);
          expect(statuses[0]).toBe('submitted');
          for (let i = 1; i < statuses.length; i += 1)
            expect(canTransition(statuses[i - 1] as never, statuses[i] as never)).toBe(true);
          expect(statuses[statuses.length - 1]).toBe(app.status);
          const records = audit.filter(
            (r) => r.entry.subject === `application:${app._id}` && r.entry.event.startsWith('application.'),
          );
          expect(records.length).toBe(statuses.length);
        }
        for (const openid of borrowers) {
          const active = apps.filter((a) => a.openid === openid && isActive(a.status));
          expect(active.length).toBeLessThanOrEqual(1);
          const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, openid);
          expect(borrower?.activeApplicationId ?? null).toBe(active[0]?._id ?? null);
        }
        expect(await verifyChain(deps.store)).toMatchObject({ ok: true });
      }),
      { numRuns: 60 },
    );
  });
});
