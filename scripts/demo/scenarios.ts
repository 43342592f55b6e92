import { randomInt } from 'node:crypto';
import { idCheckChar } from '../../shared/idcard';

/** The path a synthetic borrower is sent down. */
export type ScenarioKind =
  | 'auto_approve'
  | 'review_approve'
  | 'review_reject'
  | 'auto_reject'
  | 'payout_fail'
  | 'payout_fault_recovered';

/** What each scenario's loan should end as (loan.get status). */
export const EXPECTED_STATUS: Record<ScenarioKind, string> = {
  auto_approve: 'repaying',
  review_approve: 'repaying',
  review_reject: 'rejected',
  auto_reject: 'rejected',
  payout_fail: 'disbursement_failed',
  payout_fault_recovered: 'repaying',
};

/** One synthetic borrower. */
export interface Borrower {
  index: number;
  openid: string;
  name: string;
  idNumber: string;
  phone: string;
  scenario: ScenarioKind;
  /** Loan amount asked for, fen. */
  amount: number;
}

/** The documented test identity the automated review approves (docs/api.md, TEST_CREDIT_FILES). */
export const APPROVED_TEST_ID = '110101199003071233';

/** After borrower 0 (automatic approval), borrowers cycle through these. */
const CYCLE: ScenarioKind[] = [
  'review_approve',
  'auto_reject',
  'review_reject',
  'payout_fail',
  'review_approve',
  'payout_fault_recovered',
];

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军'];
const REGIONS = ['110101', '310104', '440305', '320106', '510107', '330106'];

/**
 * A fresh valid resident ID number (GB 11643 check digit via shared/idcard.ts) born 1980–1999, so
 * its age is inside the 22–55 policy. No credit file exists for it: the automated review sends it
 * to manual review (thin file).
 */
export function thinFileIdNumber(): string {
  const year = 1980 + randomInt(20);
  const month = String(1 + randomInt(12)).padStart(2, '0');
  const day = String(1 + randomInt(28)).padStart(2, '0');
  const body = `${REGIONS[randomInt(REGIONS.length)]}${year}${month}${day}${String(randomInt(1000)).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

/** The scenario of borrower `index`. */
export function scenarioOf(index: number): ScenarioKind {
  return index === 0 ? 'auto_approve' : (CYCLE[(index - 1) % CYCLE.length] as ScenarioKind);
}

/**
 * Makes `count` borrowers. `runTag` keeps openids distinct between runs against the same backend.
 * Automatic rejections use WeChat's risk rank (an openid ending in `risk3`), so they need no
 * documented identity; manual-review amounts stay within the thin-file limit (200 CNY).
 */
export function makeBorrowers(count: number, runTag: string): Borrower[] {
  return Array.from({ length: count }, (_, index) => {
    const scenario = scenarioOf(index);
    const suffix = scenario === 'auto_reject' ? '_risk3' : '';
    return {
      index,
      openid: `o-demo-${runTag}-${String(index).padStart(3, '0')}${suffix}`,
      name: `${SURNAMES[index % SURNAMES.length]}${GIVEN[(index * 7) % GIVEN.length]}`,
      idNumber: scenario === 'auto_approve' ? APPROVED_TEST_ID : thinFileIdNumber(),
      phone: `139${String(randomInt(100_000_000)).padStart(8, '0')}`,
      scenario,
      amount: scenario === 'auto_approve' ? 30_000 : 15_000,
    };
  });
}
