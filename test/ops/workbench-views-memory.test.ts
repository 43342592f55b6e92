import { applyForLoan } from '../../server/loan/apply';
import { reviewApplication } from '../../server/loan/review';
import { dashboard, quantile } from '../../server/ops/dashboard';
import type { Operator } from '../../server/ops/operator-auth';
import { claimApplication, decideApplication } from '../../server/ops/review-actions';
import { applicationDetail } from '../../server/ops/review-queue';
import { applyRequest, IDS, memoryDeps, seedBorrower } from '../loan/memory-fixtures';

/** What the workbench's detail and dashboard views read: decision record with codes, masks, links, figures. */

const rita: Operator = { id: 'wb:rita', role: 'reviewer' };
const HOUR = 60 * 60 * 1000;

async function applied(deps: ReturnType<typeof memoryDeps>, openid: string, idNumber: string, n: string) {
  await seedBorrower(deps.store, openid, idNumber);
  const answer = await applyForLoan(deps, applyRequest(`req-views-${n}`, 20_000), {
    openid,
    clientIp: '10.0.0.7',
  });
  await reviewApplication(deps, answer.applicationId);
  return answer.applicationId;
}

test('decide keeps the reason code in the decision record; a code of the other list is refused', async () => {
  const deps = memoryDeps();
  const id = await applied(deps, 'u-views-1', IDS.review, '0001');
  await claimApplication(deps, rita, id);
  await expect(
    decideApplication(deps, rita, {
      applicationId: id,
      decision: 'approve',
      note: '收入稳定',
      reasonCode: 'FRAUD_SUSPECTED',
    }),
  ).rejects.toMatchObject({ code: 'REASON_CODE_MISMATCH' });
  await decideApplication(deps, rita, {
    applicationId: id,
    decision: 'reject',
    note: '收入不足以覆盖月供',
    reasonCode: 'INCOME_INSUFFICIENT',
  });
  const detail = await applicationDetail(deps.store, id);
  expect(detail).toMatchObject({
    openid: 'u-views-1',
    status: 'rejected',
    borrower: { name: '*三', phone: '138****5678' },
    manualDecision: { outcome: 'rejected', operator: 'wb:rita', reasonCode: 'INCOME_INSUFFICIENT' },
    firstApproval: null,
    payout: null,
    fraudLinks: { deviceOpenids: 1, deviceIdentities: 1, ipOpenidsPerDay: 1 },
  });
  expect(detail.borrower?.idNumber).toMatch(/^\d\*{16}[\dX]$/);
  expect(detail.timeline.map((t) => t.status)).toEqual(
    expect.arrayContaining(['submitted', 'manual_review', 'rejected']),
  );
  // Nothing of the identity in the clear: only the placeholders the seed encrypted.
  expect(JSON.stringify(detail)).not.toContain(IDS.review);
});

test('dashboard: applications and approval rate per China day, queue age p50/p90, today against the cap', async () => {
  // 01:00 China time on 28 Nov: the day boundary is Beijing midnight, not UTC's.
  const deps = memoryDeps();
  const start = Date.UTC(2026, 10, 27, 17, 0, 0);
  deps.clock.advance(start - deps.clock.now());
  const first = await applied(deps, 'u-views-a', IDS.review, '000a');
  deps.clock.advance(HOUR);
  const second = await applied(deps, 'u-views-b', IDS.reject, '000b');
  deps.clock.advance(3 * HOUR);
  await claimApplication(deps, rita, first);
  await decideApplication(deps, rita, { applicationId: first, decision: 'approve', note: '收入稳定' });
  const figures = await dashboard(deps);
  expect(figures.days).toHaveLength(7);
  const today = figures.days[6];
  expect(today).toMatchObject({
    day: '20261128',
    applications: 2,
    approved: 1,
    rejected: 1,
    approvalRate: 0.5,
  });
  expect(figures.days.slice(0, 6).every((d) => d.applications === 0 && d.approvalRate === null)).toBe(true);
  // `second` was rejected by the model: the queue is empty once `first` is decided.
  expect(second).toBeTruthy();
  expect(figures.queue).toEqual({ waiting: 0, p50AgeMs: null, p90AgeMs: null });
  expect(figures.today).toMatchObject({
    day: '20261128',
    capFen: deps.limits.perMerchantDailyCapFen,
    billCap: deps.limits.dailyCallCount,
  });
  expect(figures.truncated).toBe(false);
});

test('queue age quantiles are nearest-rank over the waiting items', async () => {
  expect(quantile([], 0.5)).toBeNull();
  expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  const deps = memoryDeps();
  await applied(deps, 'u-views-q1', IDS.review, '00q1');
  deps.clock.advance(2 * HOUR);
  const figures = await dashboard(deps);
  expect(figures.queue).toEqual({ waiting: 1, p50AgeMs: 2 * HOUR, p90AgeMs: 2 * HOUR });
});
