import { auditKeys } from '../audit/audit-keys';
import { headInTx, putHeadInTx } from '../audit/chain-head';
import { sealChains, type ChainBook } from '../audit/seal';
import type { DocStore, StoredDoc, TxDocs } from '../storage/doc-store';
import { chainVoucher, ledgerChainOf, voucherId, type Voucher, type VoucherDraft } from './voucher';

/** Collections of the ledger (declared in cloudbase/collections.json). */
export const LEDGER_COLLECTIONS = {
  /** Double-entry vouchers, each a keyed link of its loan's chain. */
  vouchers: 'ledgerVouchers',
  /** One head per loan chain (`_id` = `ledger:<loanId>`), written with that loan's vouchers. */
  heads: 'ledgerHeads',
  /** The ledger's seal chain: checkpoints of every head, written only by the sealing timer. */
  seals: 'ledgerSeals',
} as const;

/** The ledger's chains, as the sealing step and the checks see them. */
export const LEDGER_BOOK: ChainBook = { heads: LEDGER_COLLECTIONS.heads, seals: LEDGER_COLLECTIONS.seals };

/**
 * Appends `drafts` to their loans' voucher chains inside the caller's transaction. Only each loan's
 * own head document is read and written (no document every voucher writes). A voucher id already
 * stored means the fact is booked: it is skipped, so a fact can never be booked twice.
 */
export async function appendVouchers(tx: TxDocs, drafts: readonly VoucherDraft[], at: number): Promise<void> {
  if (drafts.length === 0) return;
  const keys = auditKeys();
  const chains = [...new Set(drafts.map((d) => ledgerChainOf(d.loanId)))];
  // Every read before the first write, side by side: the heads and whether each fact is booked.
  const [heads, booked] = await Promise.all([
    Promise.all(chains.map((chain) => headInTx(tx, LEDGER_COLLECTIONS.heads, chain))),
    Promise.all(drafts.map((d) => tx.get(LEDGER_COLLECTIONS.vouchers, voucherId(d)))),
  ]);
  const current = new Map(chains.map((chain, i) => [chain, heads[i] as { seq: number; hash: string }]));
  const moved = new Set<string>();
  const seen = new Set<string>();
  for (const [i, draft] of drafts.entries()) {
    if (booked[i] || seen.has(voucherId(draft))) continue;
    seen.add(voucherId(draft));
    const chain = ledgerChainOf(draft.loanId);
    const voucher = chainVoucher(keys, current.get(chain) as { seq: number; hash: string }, draft, at);
    await tx.put(LEDGER_COLLECTIONS.vouchers, voucher as Voucher & StoredDoc);
    current.set(chain, { seq: voucher.seq, hash: voucher.hash });
    moved.add(chain);
  }
  for (const chain of moved)
    await putHeadInTx(
      tx,
      LEDGER_COLLECTIONS.heads,
      chain,
      current.get(chain) as { seq: number; hash: string },
      at,
    );
}

/** One sealing step of the ledger's chains (the minute timer runs it with the audit's). */
export function sealLedger(store: DocStore, at: number): Promise<{ sealed: number }> {
  return sealChains(store, LEDGER_BOOK, at);
}
