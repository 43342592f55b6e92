import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, type ApplicationDoc } from '../../server/loan/application-doc';
import { reviewApplication } from '../../server/loan/review';
import { opsActions } from '../../server/ops/actions';
import type { Operator } from '../../server/ops/operator-auth';
import { claimApplication, decideApplication } from '../../server/ops/review-actions';
import type { OperatorDeps } from '../../server/operators/account';
import type { WorkbenchDeps } from '../../server/operators/workbench-http';
import { readPiiKeys } from '../../server/pii';
import type { DocStore } from '../../server/storage/doc-store';
import { testPiiEnv } from '../identity/pii-keys';
import { applyRequest, IDS, memoryDeps, seedBorrower } from '../loan/memory-fixtures';
import { register, signInAs, wb } from './fixtures';

/**
 * The checker's half of `decide` is decided inside decideApplication's transaction: a reviewer whose
 * request started while the application was still `manual_review` cannot end up giving the second
 * approval when the maker's first approval commits in between.
 */

const alice: Operator = { id: 'op-alice', role: 'reviewer' };

/** A store whose next read of `id` (outside a transaction) lets `between` run before answering. */
function pausingStore(inner: DocStore) {
  let pending: { id: string; between: () => Promise<void> } | undefined;
  const store: DocStore = Object.create(inner) as DocStore;
  store.get = async (collection, id) => {
    const value = await inner.get(collection, id);
    const hook = pending;
    if (hook && collection === APPLICATIONS && id === hook.id) {
      pending = undefined;
      await hook.between();
    }
    return value as never;
  };
  return { store, pauseNextRead: (id: string, between: () => Promise<void>) => (pending = { id, between }) };
}

async function setup() {
  const loan = memoryDeps({ config: { ...memoryDeps().config, makerCheckerAboveFen: 10_000 as never } });
  await seedBorrower(loan.store, 'u-review', IDS.review);
  const applied = await applyForLoan(loan, applyRequest('req-race-0001', 20_000), {
    openid: 'u-review',
    clientIp: '10.0.0.1',
  });
  await reviewApplication(loan, applied.applicationId);
  const paused = pausingStore(loan.store);
  const viaWorkbench = { ...loan, store: paused.store };
  const operators: OperatorDeps = { store: loan.store, clock: loan.clock, keys: readPiiKeys(testPiiEnv()) };
  const deps: WorkbenchDeps = {
    operators,
    opsTable: (authenticate) =>
      opsActions(
        () => viaWorkbench,
        undefined,
        async () => {},
        async () => {},
        authenticate,
      ),
  };
  return { loan, deps, id: applied.applicationId, pauseNextRead: paused.pauseNextRead };
}

const decideBody = (applicationId: string) => ({
  action: 'decide',
  applicationId,
  decision: 'approve',
  note: '复核通过',
});

test('a reviewer whose decide started before the first approval committed is refused in the transaction', async () => {
  const { loan, deps, id, pauseNextRead } = await setup();
  const rita = await signInAs(deps, await register(deps.operators, 'rita', 'reviewer'));
  await claimApplication(loan, alice, id);
  expect((await loan.store.get<ApplicationDoc>(APPLICATIONS, id))?.status).toBe('manual_review');
  // Rita's request reads the application while it is still manual_review; alice's first approval
  // commits before rita's decision runs its transaction.
  pauseNextRead(id, async () => {
    const first = await decideApplication(loan, alice, {
      applicationId: id,
      decision: 'approve',
      note: '初审通过',
    });
    expect(first.status).toBe('awaiting_second_approval');
  });
  const answer = await wb(deps, '/workbench/ops', decideBody(id), { token: rita });
  expect(answer).toMatchObject({ status: 403, body: { ok: false, error: { code: 'ROLE_FORBIDDEN' } } });
  const after = await loan.store.get<ApplicationDoc>(APPLICATIONS, id);
  expect(after).toMatchObject({
    status: 'awaiting_second_approval',
    firstApproval: { operator: 'op-alice' },
  });
  expect(after?.manualDecision).toBeUndefined();
});

test('an approver gives the second approval; a reviewer is refused even when nothing races', async () => {
  const { loan, deps, id } = await setup();
  const rita = await signInAs(deps, await register(deps.operators, 'rita', 'reviewer'));
  const amos = await signInAs(deps, await register(deps.operators, 'amos', 'approver'));
  await claimApplication(loan, alice, id);
  await decideApplication(loan, alice, { applicationId: id, decision: 'approve', note: '初审通过' });
  expect(await wb(deps, '/workbench/ops', decideBody(id), { token: rita })).toMatchObject({
    status: 403,
    body: { error: { code: 'ROLE_FORBIDDEN' } },
  });
  expect(await wb(deps, '/workbench/ops', decideBody(id), { token: amos })).toMatchObject({
    status: 200,
    body: { ok: true, data: { status: 'approved' } },
  });
  expect((await loan.store.get<ApplicationDoc>(APPLICATIONS, id))?.manualDecision).toMatchObject({
    operator: 'op-alice',
    checker: 'wb:amos',
  });
});
