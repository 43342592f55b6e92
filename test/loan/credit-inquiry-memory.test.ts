import { applyForLoan } from '../../server/loan/apply';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../../server/loan/application-doc';
import { authoriseCreditInquiry, currentCreditInquiry } from '../../server/loan/credit-consent';
import { reviewApplication } from '../../server/loan/review';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import type { StoredDoc } from '../../server/storage/doc-store';
import type { CreditDataSource } from '../../server/risk/credit-data';
import { explainDecision } from '../../server/risk/explain';
import { applyRequest, IDS, memoryCreditSource, memoryDeps, seedBorrower } from './memory-fixtures';

/** A credit source that counts its lookups. */
function counting(source: CreditDataSource): CreditDataSource & { calls: number } {
  const counted = {
    calls: 0,
    lookup: async (...args: Parameters<CreditDataSource['lookup']>) => {
      counted.calls += 1;
      return source.lookup(...args);
    },
  };
  return counted;
}

describe('credit-inquiry authorisation before any credit data is read', () => {
  it('apply without it is refused with the ask; the bureau is not called and nothing is stored', async () => {
    const credit = counting(memoryCreditSource());
    const deps = memoryDeps({ credit });
    await seedBorrower(deps.store, 'u-no-auth', IDS.approve, 0, false);
    await expect(
      applyForLoan(deps, applyRequest('req-noauth-01'), { openid: 'u-no-auth', clientIp: null }),
    ).rejects.toMatchObject({ code: 'CREDIT_INQUIRY_NOT_AUTHORISED' });
    expect(credit.calls).toBe(0);
    expect(deps.store.raw(APPLICATIONS).size).toBe(0);
  });

  it('once given, apply reads the credit file and decides as before', async () => {
    const credit = counting(memoryCreditSource());
    const deps = memoryDeps({ credit });
    await seedBorrower(deps.store, 'u-auth', IDS.approve, 0, false);
    const current = currentCreditInquiry();
    const given = await authoriseCreditInquiry(
      deps,
      { openid: 'u-auth', clientIp: '198.51.100.7' },
      { version: current.version, textSha256: current.sha256 },
    );
    expect(given).toEqual({ version: current.version, authorisedAt: deps.clock.now() });
    const answer = await applyForLoan(deps, applyRequest('req-auth-0001'), {
      openid: 'u-auth',
      clientIp: null,
    });
    expect(answer.status).toBe('approved');
    expect(credit.calls).toBe(1);
  });

  it('a review without an authorisation in force does not call the bureau and sends the application to a person', async () => {
    const credit = counting(memoryCreditSource());
    const deps = memoryDeps({ credit });
    // Stored `submitted` (a source that throws leaves it for the review), then the authorisation is withdrawn.
    deps.credit = { lookup: async () => Promise.reject(new Error('bug')) };
    await seedBorrower(deps.store, 'u-withdrawn', IDS.reject);
    const { applicationId, status } = await applyForLoan(deps, applyRequest('req-withdrawn1'), {
      openid: 'u-withdrawn',
      clientIp: null,
    });
    expect(status).toBe('submitted');
    deps.credit = credit;
    await deps.store.transact(async (tx) => {
      const b = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, 'u-withdrawn');
      const { creditInquiry: _withdrawn, ...rest } = b!;
      await tx.put(BORROWERS, { ...rest, version: rest.version + 1 });
    });
    const decision = await reviewApplication(deps, applicationId);
    expect(credit.calls).toBe(0);
    expect(decision).toMatchObject({
      outcome: 'manual_review',
      reasons: ['CREDIT_INQUIRY_NOT_AUTHORISED'],
      inputs: { credit: null, creditGap: { code: 'CREDIT_INQUIRY_NOT_AUTHORISED' } },
    });
    expect((await deps.store.get<ApplicationDoc>(APPLICATIONS, applicationId))?.status).toBe('manual_review');
    expect(explainDecision(decision!).reasons[0]).toContain('未获得您的征信查询授权');
  });

  it('an unavailable bureau sends even a would-be rejection to manual review, with the cause stored', async () => {
    const deps = memoryDeps({
      credit: { lookup: async () => ({ status: 'unavailable', cause: 'timeout' }) },
    });
    await seedBorrower(deps.store, 'u-outage', IDS.reject);
    const answer = await applyForLoan(deps, applyRequest('req-outage-01'), {
      openid: 'u-outage',
      clientIp: null,
    });
    expect(answer.status).toBe('manual_review');
    expect(answer.application?.decision).toMatchObject({
      outcome: 'manual_review',
      reasons: ['CREDIT_BUREAU_UNAVAILABLE'],
      inputs: { creditGap: { code: 'CREDIT_BUREAU_UNAVAILABLE', cause: 'timeout' } },
    });
  });

  it('an outdated text or an unverified borrower cannot authorise', async () => {
    const deps = memoryDeps();
    const current = currentCreditInquiry();
    await expect(
      authoriseCreditInquiry(
        deps,
        { openid: 'u-x', clientIp: null },
        { version: 'old', textSha256: current.sha256 },
      ),
    ).rejects.toMatchObject({ code: 'CREDIT_INQUIRY_OUTDATED' });
    await expect(
      authoriseCreditInquiry(
        deps,
        { openid: 'u-unverified', clientIp: null },
        { version: current.version, textSha256: current.sha256 },
      ),
    ).rejects.toMatchObject({ code: 'IDENTITY_NOT_VERIFIED' });
  });
});
