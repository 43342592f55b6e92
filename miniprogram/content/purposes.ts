/** Loan purposes the `loan` function accepts, with the label the borrower sees. */
export const LOAN_PURPOSES = [
  { code: 'consumption', label: '日常消费' },
  { code: 'education', label: '教育培训' },
  { code: 'medical', label: '医疗健康' },
  { code: 'travel', label: '旅游出行' },
  { code: 'home', label: '家居装修' },
  { code: 'other', label: '其他' },
] as const;

/** A purpose code. */
export type LoanPurposeCode = (typeof LOAN_PURPOSES)[number]['code'];

/** The label of a purpose code (the code itself when unknown). */
export function purposeLabel(code: string): string {
  return LOAN_PURPOSES.find((p) => p.code === code)?.label ?? code;
}
