import { createHash } from 'node:crypto';
import { signableQuote } from '../../server/loan/agreement';
import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, type ApplicationDoc } from '../../server/loan/application-doc';
import { DEFAULT_LOAN_CONFIG } from '../../server/loan/config';
import { dueDates } from '../../server/loan/due-dates';
import { quoteLoan, quoteOffer } from '../../server/loan/quote';
import { DEFAULT_LIMITS } from '../../server/limits/policy';
import type { Fen } from '../../typings/money';
import { applyRequest, IDS, memoryDeps, seedBorrower } from './memory-fixtures';

const terms = {
  version: '2026-02',
  lenderName: '微借示范小额贷款有限公司',
  now: Date.UTC(2026, 0, 30, 20, 0, 0),
};

describe('the agreement served with a quote', () => {
  const priced = quoteLoan(
    quoteOffer(DEFAULT_LOAN_CONFIG, DEFAULT_LIMITS),
    20_000 as Fen,
    3,
    'equal_instalment',
  );
  const quote = signableQuote(priced, terms);

  it('carries this loan’s figures, the lender, no other fees, and dated instalments', () => {
    expect(quote.otherFees).toBe(0);
    expect(quote.agreement.text).toContain(`出借人：${terms.lenderName}`);
    expect(quote.agreement.text).toContain(
      '借款金额200.00元，期限3个月，还款方式等额本息，年化利率（单利）18.00%',
    );
    expect(quote.agreement.text).toContain(`应还总额${(quote.totalRepayment / 100).toFixed(2)}元`);
    expect(quote.agreement.text).toContain('其他费用0元');
    for (const [n, i] of quote.schedule.entries()) {
      expect(quote.agreement.text).toContain(
        `第${i.period}期 ${quote.dueDates[n]} 应还${(i.total / 100).toFixed(2)}元`,
      );
    }
    expect(quote.agreement.sha256).toBe(
      createHash('sha256').update(quote.agreement.text, 'utf8').digest('hex'),
    );
  });

  it('dates instalments in China time, clamping to short months', () => {
    // 2026-01-30 20:00 UTC is 2026-01-31 in Beijing.
    expect(quote.firstDueDate).toBe('2026-02-28');
    expect(dueDates(terms.now, 3)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });
});

describe('apply signs only the served agreement', () => {
  it('refuses consent to any other text and stores the signed text with its hash', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-sign', IDS.approve);
    const other = applyRequest('req-sign-0001', 20_000, {
      consent: { accepted: true, version: DEFAULT_LOAN_CONFIG.agreementVersion, textSha256: 'a'.repeat(64) },
    });
    await expect(applyForLoan(deps, other, { openid: 'u-sign', clientIp: null })).rejects.toMatchObject({
      code: 'AGREEMENT_CHANGED',
    });
    expect(deps.store.raw(APPLICATIONS).size).toBe(0);
    const request = applyRequest('req-sign-0002', 20_000);
    const answer = await applyForLoan(deps, request, { openid: 'u-sign', clientIp: null });
    const stored = await deps.store.get<ApplicationDoc>(APPLICATIONS, answer.applicationId);
    expect(stored?.consent.textSha256).toBe(request.consent.textSha256);
    expect(
      createHash('sha256')
        .update(stored?.consent.text ?? '', 'utf8')
        .digest('hex'),
    ).toBe(request.consent.textSha256);
  });

  it('refuses an agreement read on an earlier day (its due dates have moved)', async () => {
    const deps = memoryDeps();
    await seedBorrower(deps.store, 'u-late', IDS.approve);
    const request = applyRequest('req-late-0001', 20_000);
    deps.clock.advance(86_400_000);
    await expect(applyForLoan(deps, request, { openid: 'u-late', clientIp: null })).rejects.toMatchObject({
      code: 'AGREEMENT_CHANGED',
    });
  });
});
