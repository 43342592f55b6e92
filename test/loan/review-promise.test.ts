import { applyForLoan } from '../../server/loan/apply';
import { appealApplication, getApplication } from '../../server/loan/borrower-actions';
import { reviewApplication } from '../../server/loan/review';
import { applyRequest, IDS, memoryDeps, seedBorrower } from './memory-fixtures';

/** What the borrower's view promises while a person decides: the configured hours, and their own appeal text. */

const HOUR = 3_600_000;

test('manual review answers when a person promised to decide (configured hours after entering review)', async () => {
  const deps = memoryDeps({ config: { ...memoryDeps().config, manualReviewHours: 8 } });
  await seedBorrower(deps.store, 'u-review', IDS.review);
  const answer = await applyForLoan(deps, applyRequest('req-promise-1'), {
    openid: 'u-review',
    clientIp: null,
  });
  await reviewApplication(deps, answer.applicationId);
  const view = await getApplication(deps, 'u-review', answer.applicationId);
  expect(view.status).toBe('manual_review');
  const entered = view.timeline.find((e) => e.status === 'manual_review')?.at ?? -1;
  expect(view.expectedDecisionBy).toBe(entered + 8 * HOUR);
  expect(view.appealReason).toBeUndefined();
});

test('an appeal keeps the reasons and the borrower’s own text, and promises the appeal hours', async () => {
  const deps = memoryDeps();
  await seedBorrower(deps.store, 'u-reject', IDS.reject);
  const answer = await applyForLoan(deps, applyRequest('req-promise-2'), {
    openid: 'u-reject',
    clientIp: null,
  });
  await reviewApplication(deps, answer.applicationId);
  const rejected = await getApplication(deps, 'u-reject', answer.applicationId);
  expect(rejected.status).toBe('rejected');
  expect(rejected.expectedDecisionBy).toBeUndefined();

  deps.clock.advance(HOUR);
  const appealed = await appealApplication(deps, 'u-reject', answer.applicationId, '收入已提高');
  expect(appealed.status).toBe('appealed');
  expect(appealed.appealReason).toBe('收入已提高');
  expect(appealed.explanation?.reasons).toEqual(rejected.explanation?.reasons);
  expect(appealed.expectedDecisionBy).toBe(deps.clock.now() + deps.config.appealReviewHours * HOUR);
});
