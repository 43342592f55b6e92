import type { AmlReportDoc } from '../../server/risk/aml-monitor';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import { applyForLoan } from '../../server/loan/apply';
import { BORROWERS } from '../../server/loan/application-doc';
import { cancelApplication } from '../../server/loan/borrower-actions';
import { applyRequest, IDS, memoryDeps, seedBorrower } from '../loan/memory-fixtures';

/** Applies as `openid` and withdraws the application again unless the monitor already ended it. */
async function applyAndWithdraw(
  deps: ReturnType<typeof memoryDeps>,
  openid: string,
  requestId: string,
): Promise<string> {
  const answer = await applyForLoan(deps, applyRequest(requestId), { openid, clientIp: null });
  if (answer.status !== 'rejected') await cancelApplication(deps, openid, answer.applicationId);
  return answer.status;
}

describe('AML totals of an identity held by several openids', () => {
  it('two openids of one identity whose combined applications cross the daily count: the monitor fires', async () => {
    const deps = memoryDeps();
    // One person's two WeChat accounts (or an operator-shared ID number): the same identity blind index.
    await seedBorrower(deps.store, 'u-first-account', IDS.review);
    await seedBorrower(deps.store, 'u-second-account', IDS.review);
    const perOpenid = deps.aml.dailyCount / 2;
    expect(Number.isInteger(perOpenid) && perOpenid >= 1).toBe(true);
    // Each account alone stays below the daily count…
    for (let i = 0; i < perOpenid; i += 1)
      await applyAndWithdraw(deps, 'u-first-account', `req-first-${i}000`);
    for (let i = 0; i < perOpenid - 1; i += 1)
      await applyAndWithdraw(deps, 'u-second-account', `req-second-${i}000`);
    expect(deps.store.raw('amlReports').size).toBe(0);
    // …together they reach it with the second account's last application.
    const last = await applyAndWithdraw(deps, 'u-second-account', `req-second-${perOpenid - 1}000`);
    expect(last).toBe('rejected');
    const reports = [...deps.store.raw('amlReports').values()] as AmlReportDoc[];
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      openid: 'u-second-account',
      coHolders: ['u-first-account'],
      day: { count: deps.aml.dailyCount },
    });
    expect(reports[0]?.findings).toContain('DAILY_VELOCITY');
    const second = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-second-account');
    expect(second?.frozen).toBe(true);
    // Each borrower document still holds its own totals only (the identity's are summed when judged).
    expect(second?.aml?.day.count).toBe(perOpenid);
    const first = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-first-account');
    expect(first?.aml?.day.count).toBe(perOpenid);
  });

  it('another identity applying as often is not counted with them', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-one', IDS.review);
    await seedBorrower(deps.store, 'u-other', IDS.approve);
    const perOpenid = deps.aml.dailyCount / 2;
    for (let i = 0; i < perOpenid; i += 1) {
      await applyAndWithdraw(deps, 'u-one', `req-one-${i}000`);
      await applyAndWithdraw(deps, 'u-other', `req-other-${i}000`);
    }
    expect(deps.store.raw('amlReports').size).toBe(0);
  });
});
