import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { isFinal } from './bill-state';
import { PAYOUT_COLLECTIONS } from './collections';
import { currentBill, type BlockCode, type PayoutDoc } from './payout-doc';

/**
 * Inside the freeze or blacklisting transaction: marks the loan's current bill for cancellation
 * when it is not final yet (`cancelRequested`, `cancelFor`), so the mark is durable before anything
 * is sent to WeChat. Answers the loan id when a bill was marked (the caller requests the cancel
 * after the commit), undefined otherwise. Only reads and writes through `tx`.
 */
export async function markBlockedPayout(
  tx: TxDocs,
  loanId: string | null,
  code: BlockCode,
  at: number,
): Promise<string | undefined> {
  if (!loanId) return undefined;
  const doc = await tx.get<PayoutDoc & StoredDoc>(PAYOUT_COLLECTIONS.payouts, loanId);
  if (!doc?.open) return undefined;
  const bill = currentBill(doc);
  if (isFinal(bill.phase) || bill.cancelFor) return undefined;
  const bills = [...doc.bills];
  bills[bills.length - 1] = { ...bill, cancelRequested: true, cancelFor: code, updatedAt: at };
  await tx.put(PAYOUT_COLLECTIONS.payouts, { ...doc, bills, version: doc.version + 1, updatedAt: at });
  return loanId;
}
