import {
  refreshPayout,
  PROGRESS_FRESH_PACKAGE_MS,
  PROGRESS_QUERY_EVERY_MS,
} from '../../server/payout/settle';
import { startPayoutForApplication } from '../../server/payout/start';
import { currentBill } from '../../server/payout/payout-doc';
import type { PayoutDeps } from '../../server/payout/ports';
import { payoutOf, seedApprovedLoan, startPayoutHarness, type PayoutHarness } from './harness';

/**
 * Issue 10 case 6: a progress call on a bill waiting for confirmation asks WeChat once its package is
 * a few seconds old — at most once per bill per interval — and not while it is fresh.
 */
let h: PayoutHarness;
beforeAll(async () => {
  h = await startPayoutHarness();
}, 120_000);
afterAll(async () => {
  await h.stop();
});

test('stale confirmations are queried, rate-limited per bill; fresh ones are not', async () => {
  let queries = 0;
  const counting = (deps: PayoutDeps): PayoutDeps => ({
    ...deps,
    transfer: {
      ...deps.transfer,
      create: (body) => deps.transfer.create(body),
      cancel: (no) => deps.transfer.cancel(no),
      encryptUserName: (name) => deps.transfer.encryptUserName(name),
      query: (no) => {
        queries += 1;
        return deps.transfer.query(no);
      },
    },
  });
  const loan = await seedApprovedLoan(h, 31_000);
  await startPayoutForApplication(h.deps, loan.loanId, { id: 'console', type: 'operator' });
  for (let i = 0; i < 10 && currentBill(await payoutOf(h, loan.loanId)).phase !== 'WAIT_USER_CONFIRM'; i++) {
    await h.steps(1);
    await refreshPayout(h.deps, loan.loanId);
  }
  const bill = currentBill(await payoutOf(h, loan.loanId));
  expect([bill.phase, Boolean(bill.packageInfo)]).toEqual(['WAIT_USER_CONFIRM', true]);
  const acceptedAt = bill.acceptedAt ?? bill.createdAt;

  // Fresh package: shown as stored, WeChat not asked.
  const fresh = counting({ ...h.deps, clock: { now: () => acceptedAt + PROGRESS_FRESH_PACKAGE_MS - 1_000 } });
  await refreshPayout(fresh, loan.loanId);
  expect(queries).toBe(0);

  // Older than a few seconds: the first of several calls asks, the others inside the interval do not.
  let now = acceptedAt + PROGRESS_FRESH_PACKAGE_MS + 1_000;
  const stale = counting({ ...h.deps, clock: { now: () => now } });
  await Promise.all([1, 2, 3].map(() => refreshPayout(stale, loan.loanId)));
  await refreshPayout(stale, loan.loanId);
  expect(queries).toBe(1);
  now += PROGRESS_QUERY_EVERY_MS + 1;
  await refreshPayout(stale, loan.loanId);
  expect(queries).toBe(2);
});
