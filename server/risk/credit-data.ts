import type { CreditProfile } from './inputs';

/** A pluggable credit-data provider (a bureau in production). */
export interface CreditDataSource {
  /** The credit file of an identity by its blind index; null when there is none. */
  lookup(idHash: string): Promise<CreditProfile | null>;
}

/**
 * Documented test identities (valid GB 11643 numbers) and their credit files; docs/api.md lists
 * which automated outcome each reaches. Any other identity has no credit file (thin file).
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

/** A deterministic local data set keyed by blind index, built from test identities. */
export class LocalCreditData implements CreditDataSource {
  private readonly files = new Map<string, CreditProfile>();

  /** `hashId` must be the same blind index the identity domain stores (`identity.idHash`). */
  constructor(hashId: (idNumber: string) => string, entries = TEST_CREDIT_FILES) {
    for (const entry of entries) this.files.set(hashId(entry.idNumber), entry.profile);
  }

  /** The file for `idHash`, or null. */
  async lookup(idHash: string): Promise<CreditProfile | null> {
    return this.files.get(idHash) ?? null;
  }
}
