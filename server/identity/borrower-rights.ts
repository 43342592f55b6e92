import type { BorrowerDoc, BorrowerRights } from '../borrowers/borrower-doc';
import type { TxDocs } from '../storage/doc-store';
import { IDENTITY_COLLECTIONS } from './records';

/** The borrower document with the other domains' fields it may carry. */
export type StoredBorrower = BorrowerDoc & { [field: string]: unknown };

/**
 * Sets the rights flags `apply` checks on the borrower document, in the caller's transaction.
 * A WeChat user without a borrower document (never verified) cannot apply anyway: nothing to write.
 */
export async function setBorrowerRights(
  tx: TxDocs,
  openid: string,
  patch: Partial<BorrowerRights>,
  now: number,
  /** The borrower document when the caller already read it in this transaction (no second read). */
  known?: StoredBorrower | undefined,
): Promise<void> {
  const borrower = known ?? (await tx.get<StoredBorrower>(IDENTITY_COLLECTIONS.borrowers, openid));
  if (!borrower) return;
  const rights: BorrowerRights = {
    consentWithdrawnAt: borrower.rights?.consentWithdrawnAt ?? null,
    deletionRequestedAt: borrower.rights?.deletionRequestedAt ?? null,
    ...patch,
    // Closing is an operator's final act: no borrower request reopens the account.
    ...(borrower.rights?.accountClosedAt ? { accountClosedAt: borrower.rights.accountClosedAt } : {}),
  };
  await tx.put(IDENTITY_COLLECTIONS.borrowers, {
    ...borrower,
    rights,
    version: borrower.version + 1,
    updatedAt: now,
  });
}
