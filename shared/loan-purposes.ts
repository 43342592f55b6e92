import type { LoanPurposeCode } from '../typings/loan';

/** Every purpose code `loan.apply` accepts, in the order the borrower sees them. */
export const LOAN_PURPOSE_CODES = [
  'consumption',
  'education',
  'medical',
  'travel',
  'home',
  'other',
] as const satisfies readonly LoanPurposeCode[];

/** The label the borrower sees for each purpose. */
export const LOAN_PURPOSE_LABELS: Readonly<Record<LoanPurposeCode, string>> = {
  consumption: '日常消费',
  education: '教育培训',
  medical: '医疗健康',
  travel: '旅游出行',
  home: '家居装修',
  other: '其他',
};

/** Purposes with their labels, for pickers. */
export const LOAN_PURPOSES: ReadonlyArray<{ code: LoanPurposeCode; label: string }> = LOAN_PURPOSE_CODES.map(
  (code) => ({ code, label: LOAN_PURPOSE_LABELS[code] }),
);

/** The label of a purpose code (the code itself when unknown). */
export function purposeLabel(code: string): string {
  return (LOAN_PURPOSE_LABELS as Record<string, string | undefined>)[code] ?? code;
}
