import { LOAN_PURPOSE_CODES } from '../../shared/loan-purposes';
import type { LoanPurposeCode } from '../../typings/loan';

/** Loan purposes the borrower may choose from (the shared list the mini-program shows). */
export const PURPOSES = LOAN_PURPOSE_CODES;

/** A purpose code. */
export type LoanPurpose = LoanPurposeCode;

/**
 * Banned uses (regulators forbid consumer loans for these): matched in the free-text description,
 * lower-cased. The purpose codes themselves are all allowed.
 */
export const BANNED_PURPOSE_WORDS: readonly string[] = [
  '虚拟货币',
  '数字货币',
  '比特币',
  '炒币',
  'usdt',
  'bitcoin',
  'crypto',
  '赌博',
  '博彩',
  '彩票',
  'casino',
  'gambling',
  '炒股',
  '股票',
  '证券',
  '期货',
  '配资',
  '理财',
  '投资',
  '购房首付',
  '首付',
];

/** The banned word found in a purpose description, or undefined. */
export function bannedPurposeWord(description: string): string | undefined {
  const text = description.normalize('NFKC').toLowerCase();
  return BANNED_PURPOSE_WORDS.find((word) => text.includes(word));
}
