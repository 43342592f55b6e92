import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, BORROWERS } from '../../server/loan/application-doc';
import { appealApplication } from '../../server/loan/borrower-actions';
import { reviewApplication } from '../../server/loan/review';
import { transitionApplication } from '../../server/loan/transition';
import { loanTxHooks } from '../../server/payout/loan-hooks';
import { applyRequest, IDS, memoryDeps, seedBorrower } from './memory-fixtures';

const SYSTEM = { id: 'system:test', type: 'system' } as const;

/** A loan of `openid` taken from approved to disbursed the way the payout does (the plan opens: repaying). */
async function landedLoan(deps: ReturnType<typeof memoryDeps>, openid: string, requestId: string) {
  const answer = await applyForLoan(deps, applyRequest(requestId), { openid, clientIp: null });
  await reviewApplication(deps, answer.applicationId);
  const at = deps.clock.now();
  await deps.store.transact((tx) =>
    transitionApplication(tx, { applicationId: answer.applicationId, to: 'disbursing', actor: SYSTEM, at }),
  );
  await deps.store.transact((tx) =>
    loanTxHooks.moveLoan(tx, answer.applicationId, 'disbursed', undefined, SYSTEM, at),
  );
  return answer.applicationId;
}

describe('a loan not yet repaid blocks a new application', () => {
  it('repaying and overdue refuse a new loan with OUTSTANDING_LOAN_EXISTS; settling frees the slot', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-repaying', IDS.approve);
    const loanId = await landedLoan(deps, 'u-repaying', 'req-first-001');
    const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-repaying');
    expect(borrower?.activeApplicationId).toBe(loanId);

    const refusal = {
      code: 'OUTSTANDING_LOAN_EXISTS',
      message: '您有一笔借款尚未还清，结清后即可再次申请',
    };
    await expect(
      applyForLoan(deps, applyRequest('req-second-01'), { openid: 'u-repaying', clientIp: null }),
    ).rejects.toMatchObject(refusal);
    const at = deps.clock.now();
    await deps.store.transact((tx) =>
      transitionApplication(tx, { applicationId: loanId, to: 'overdue', actor: SYSTEM, at }),
    );
    await expect(
      applyForLoan(deps, applyRequest('req-second-02'), { openid: 'u-repaying', clientIp: null }),
    ).rejects.toMatchObject(refusal);

    await deps.store.transact((tx) =>
      transitionApplication(tx, { applicationId: loanId, to: 'settled', actor: SYSTEM, at }),
    );
    expect(
      (await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-repaying'))?.activeApplicationId,
    ).toBe(null);
    const next = await applyForLoan(deps, applyRequest('req-second-03'), {
      openid: 'u-repaying',
      clientIp: null,
    });
    expect(next.status).toBe('approved');
  });

  it('appealing an old rejection while a loan is being repaid is refused the same way', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-appeal', IDS.approve);
    const loanId = await landedLoan(deps, 'u-appeal', 'req-loan-0001');
    // An older rejected application of the same borrower (seeded: the slot was free when it was decided).
    const rejected = await deps.store.transact(async (tx) => {
      const app = await tx.get(APPLICATIONS, loanId);
      const copy = {
        ...(app as StoredDoc),
        _id: 'f'.repeat(32),
        status: 'rejected',
        version: 3,
      };
      await tx.put(APPLICATIONS, copy);
      return copy._id;
    });
    await expect(appealApplication(deps, 'u-appeal', rejected, '收入证明已补充')).rejects.toMatchObject({
      code: 'OUTSTANDING_LOAN_EXISTS',
    });
  });
});
