import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, type ApplicationDoc } from '../../server/loan/application-doc';
import { assertMoneyMayMove, borrowerFlags } from '../../server/loan/money-gate';
import { reviewApplication } from '../../server/loan/review';
import { setBlacklisted, setFrozen } from '../../server/ops/borrower-controls';
import type { Operator } from '../../server/ops/operator-auth';
import { reasonTextSchema, visibleCharacters } from '../../server/ops/reasons';
import { applyRequest, IDS, memoryDeps, seedBorrower } from '../loan/memory-fixtures';

const CONSOLE: Operator = { id: 'console', role: 'console' };

describe('the money gate', () => {
  it('an automatic approval of a borrower frozen while the inputs were read goes to manual review', async () => {
    const deps = memoryDeps();
    // Frozen in the middle of the review (while WeChat's risk rank is asked).
    deps.riskRank = async (openid) => {
      await setFrozen(deps, CONSOLE, openid, true, '审核期间冻结');
      return 0;
    };
    await seedBorrower(deps.store, 'u-race', IDS.approve);
    const { applicationId } = await applyForLoan(deps, applyRequest('req-race-0001', 50_000), {
      openid: 'u-race',
      clientIp: null,
    });
    const decision = await reviewApplication(deps, applicationId);
    expect(decision?.outcome).toBe('approved');
    const app = await deps.store.get<ApplicationDoc>(APPLICATIONS, applicationId);
    expect(app?.status).toBe('manual_review');
  });

  it('refuses frozen and blacklisted borrowers with their own codes', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-gate', IDS.review);
    const read = <T extends { _id: string }>(c: string, id: string) =>
      deps.store.get<T & { [k: string]: unknown }>(c, id);
    await expect(assertMoneyMayMove(read, 'u-gate')).resolves.toBeUndefined();
    await setFrozen(deps, CONSOLE, 'u-gate', true, '可疑交易核查');
    await expect(assertMoneyMayMove(read, 'u-gate')).rejects.toMatchObject({ code: 'BORROWER_FROZEN' });
    await setBlacklisted(deps, CONSOLE, 'u-gate', true, '冒用身份确认');
    await expect(assertMoneyMayMove(read, 'u-gate')).rejects.toMatchObject({ code: 'BORROWER_BLACKLISTED' });
    await setFrozen(deps, CONSOLE, 'u-gate', false, '核查完毕解除');
    expect(await borrowerFlags(read, 'u-gate')).toEqual({ frozen: false, blacklisted: true });
  });
});

describe('reason text', () => {
  it.each([
    ['\u200b\u200b\u200b\u200b', false],
    ['\u200b客\u200b户\u200b', false],
    ['....', false],
    [' \t\n ', false],
    ['！？。，、', false],
    ['\u00ad\u2060\ufeff\u200d', false],
    ['客户投诉', true],
    ['Case 12', true],
    ['核实身份。', true],
  ])('%j → %s', (text, ok) => {
    expect(reasonTextSchema.safeParse(text).success).toBe(ok);
  });
  it('counts letters and digits only', () => {
    expect(visibleCharacters('a.b c\u200bd1')).toBe(5);
  });
});
