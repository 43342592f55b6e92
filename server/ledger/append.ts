import type { StoredDoc, TxDocs } from '../storage/doc-store';
import {
  chainVoucher,
  GENESIS_HASH,
  voucherId,
  type LedgerHead,
  type Voucher,
  type VoucherDraft,
} from './voucher';

/** Collections of the ledger (declared in cloudbase/collections.json). */
export const LEDGER_COLLECTIONS = {
  /** Hash-chained double-entry vouchers. */
  vouchers: 'ledgerVouchers',
  /** `_id` = `head`: the chain's last seq and hash. */
  head: 'ledgerHead',
} as const;

/**
 * Appends `drafts` to the voucher chain inside the caller's transaction. A voucher id already
 * stored means the fact is booked: it is skipped, so a fact can never be booked twice.
 */
export async function appendVouchers(tx: TxDocs, drafts: readonly VoucherDraft[], at: number): Promise<void> {
  if (drafts.length === 0) return;
  const stored = await tx.get<LedgerHead & StoredDoc>(LEDGER_COLLECTIONS.head, 'head');
  let current: LedgerHead = stored
    ? { _id: 'head', seq: stored.seq, hash: stored.hash }
    : { _id: 'head', seq: 0, hash: GENESIS_HASH };
  for (const draft of drafts) {
    if (await tx.get(LEDGER_COLLECTIONS.vouchers, voucherId(draft))) continue;
    const voucher = chainVoucher(current, draft, at);
    await tx.put(LEDGER_COLLECTIONS.vouchers, voucher as Voucher & StoredDoc);
    current = { _id: 'head', seq: voucher.seq, hash: voucher.hash };
  }
  await tx.put(LEDGER_COLLECTIONS.head, { _id: 'head', seq: current.seq, hash: current.hash });
}
