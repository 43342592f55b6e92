import { decideApplication } from '../../server/risk/decide';
import { explainDecision } from '../../server/risk/explain';
import type { RiskInputs } from '../../server/risk/inputs';
import { DEFAULT_RISK_POLICY } from '../../server/risk/policy';
import { scoreApplicant } from '../../server/risk/scorecard';
import { TEST_CREDIT_FILES } from '../../emulator/src/bureau/test-files';
import { bannedPurposeWord } from '../../server/risk/purpose';
import { amlFindings, addToTotals, DEFAULT_AML_POLICY } from '../../server/risk/aml';
import { idCheckChar } from '../../shared/idcard';
import { CLEAN_RISK_INPUTS } from './risk-inputs';

const base: RiskInputs = CLEAN_RISK_INPUTS;

describe('scorecard and decision', () => {
  it('documented test identities are valid ID numbers and reach their documented outcome', () => {
    for (const file of TEST_CREDIT_FILES) {
      expect(idCheckChar(file.idNumber.slice(0, 17))).toBe(file.idNumber[17]);
      const decision = decideApplication({ ...base, credit: file.profile }, DEFAULT_RISK_POLICY, 0);
      expect(decision.outcome).toBe(file.outcome);
    }
  });

  it('a thin file goes to a person', () => {
    expect(decideApplication(base, DEFAULT_RISK_POLICY, 0).outcome).toBe('manual_review');
  });

  it('scales points by PDO: doubling the odds adds PDO points', () => {
    const good = TEST_CREDIT_FILES[0]?.profile ?? null;
    const result = scoreApplicant({ ...base, credit: good }, DEFAULT_RISK_POLICY);
    const sum = result.contributions.reduce((s, c) => s + c.points, 0);
    expect(result.score).toBe(DEFAULT_RISK_POLICY.baseScore + sum);
    expect(Math.round((DEFAULT_RISK_POLICY.pdo / Math.LN2) * Math.LN2)).toBe(DEFAULT_RISK_POLICY.pdo);
    expect(result.band).toBe('A');
    expect(result.limit).toBe(50_000);
  });

  it.each([
    [{ identityVerified: false }, 'IDENTITY_NOT_VERIFIED'],
    [{ age: 21 }, 'AGE_OUT_OF_RANGE'],
    [{ age: 56 }, 'AGE_OUT_OF_RANGE'],
    [{ blacklisted: true }, 'BLACKLISTED'],
    [{ frozen: true }, 'FROZEN'],
    [{ purposeBanned: true }, 'PURPOSE_BANNED'],
    [{ deviceOpenids: 5 }, 'DEVICE_SHARED'],
    [{ wechatRiskRank: 3 }, 'WECHAT_RISK'],
  ] as const)('hard rule %p rejects with %s', (patch, code) => {
    const decision = decideApplication(
      { ...base, credit: TEST_CREDIT_FILES[0]?.profile ?? null, ...patch },
      DEFAULT_RISK_POLICY,
      0,
    );
    expect(decision.outcome).toBe('rejected');
    expect(decision.rulesHit).toContain(code);
  });

  it('over the band limit rejects; moderate fraud signals go to a person', () => {
    const review = TEST_CREDIT_FILES[1]?.profile ?? null;
    const limit = scoreApplicant({ ...base, credit: review }, DEFAULT_RISK_POLICY).limit;
    expect(
      decideApplication({ ...base, credit: review, amount: limit + 100 }, DEFAULT_RISK_POLICY, 0).rulesHit,
    ).toContain('OVER_LIMIT');
    const good = TEST_CREDIT_FILES[0]?.profile ?? null;
    const d = decideApplication({ ...base, credit: good, wechatRiskRank: 2 }, DEFAULT_RISK_POLICY, 0);
    expect(d.outcome).toBe('manual_review');
  });

  it('stores policy version, inputs and at most three reasons; explanations never show internals', () => {
    const bad = TEST_CREDIT_FILES[2]?.profile ?? null;
    const decision = decideApplication({ ...base, credit: bad }, DEFAULT_RISK_POLICY, 42);
    expect(decision.policyVersion).toBe(DEFAULT_RISK_POLICY.version);
    expect(decision.inputs.credit).toEqual(bad);
    expect(decision.reasons.length).toBeLessThanOrEqual(3);
    const explanation = explainDecision(decision);
    const text = JSON.stringify(explanation);
    expect(text).not.toMatch(/[A-Z]{3,}_|score|\d{3}/);
    expect(explanation.appeal).toContain('复议');
  });
});

describe('banned purposes and AML', () => {
  it.each(['买比特币', '拿去炒股', '澳门博彩', 'USDT', '买 Crypto'])('%s is banned', (text) => {
    expect(bannedPurposeWord(text)).toBeDefined();
  });

  it('flags structuring just under the cap and velocity', () => {
    let day = { amount: 0, count: 0, nearCap: 0 };
    let month = { amount: 0, count: 0, nearCap: 0 };
    for (let i = 0; i < DEFAULT_AML_POLICY.structuringCount; i += 1) {
      day = addToTotals(day, 49_900, 50_000, DEFAULT_AML_POLICY);
      month = addToTotals(month, 49_900, 50_000, DEFAULT_AML_POLICY);
    }
    expect(amlFindings(day, month, DEFAULT_AML_POLICY)).toEqual(
      expect.arrayContaining(['STRUCTURING', 'DAILY_VELOCITY']),
    );
    expect(
      amlFindings(
        { amount: 10_000, count: 1, nearCap: 0 },
        { amount: 10_000, count: 1, nearCap: 0 },
        DEFAULT_AML_POLICY,
      ),
    ).toEqual([]);
  });
});
