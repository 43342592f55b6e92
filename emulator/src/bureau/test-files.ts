import type { CreditProfile } from '../../../server/risk/inputs';

/**
 * The local fake bureau's credit files: documented test identities (valid GB 11643 numbers) and the
 * automated outcome each reaches (docs/api.md, emulator/TEST-DATA.md). Any other identity has no
 * file (thin file). Production code never holds these: only this fake bureau answers with them.
 */
export const TEST_CREDIT_FILES: ReadonlyArray<{ idNumber: string; outcome: string; profile: CreditProfile }> =
  [
    {
      idNumber: '110101199003071233',
      outcome: 'approved',
      profile: {
        creditHistoryMonths: 120,
        overdueCount: 0,
        maxOverdueDays: 0,
        inquiries6m: 1,
        debtToIncomePct: 20,
      },
    },
    {
      idNumber: '310104198506124562',
      outcome: 'manual_review',
      profile: {
        creditHistoryMonths: 36,
        overdueCount: 0,
        maxOverdueDays: 0,
        inquiries6m: 5,
        debtToIncomePct: 45,
      },
    },
    {
      idNumber: '440305199208157893',
      outcome: 'rejected',
      profile: {
        creditHistoryMonths: 24,
        overdueCount: 4,
        maxOverdueDays: 90,
        inquiries6m: 9,
        debtToIncomePct: 70,
      },
    },
  ];

/** The credit file of an ID number, or undefined. */
export function testCreditFile(idNumber: string): CreditProfile | undefined {
  return TEST_CREDIT_FILES.find((file) => file.idNumber === idNumber)?.profile;
}
