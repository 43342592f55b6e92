import { auditKeys } from '../audit/audit-keys';
import type { ChainHead } from '../audit/chain-head';
import type { AuditSeal } from '../audit/seal';
import { findAllByCursor } from '../storage/cursor-pages';
import type { DocStore, StoredDoc } from '../storage/doc-store';
import { LEDGER_COLLECTIONS } from './append';
import { verifyLedgerChains, type LedgerBooks, type LedgerProblem } from './check';
import { ledgerChainOf, type Voucher } from './voucher';

const PAGE = 1000;

/** Every document of a collection, in `_id` order. */
function readAll<T extends StoredDoc>(store: DocStore, collection: string): Promise<T[]> {
  return findAllByCursor<T>(store, collection, {}, PAGE);
}

/** Reads the whole ledger: vouchers, heads and seals, side by side. */
export async function readLedger(store: DocStore): Promise<LedgerBooks> {
  const [vouchers, heads, seals] = await Promise.all([
    readAll<Voucher & StoredDoc>(store, LEDGER_COLLECTIONS.vouchers),
    readAll<ChainHead>(store, LEDGER_COLLECTIONS.heads),
    readAll<AuditSeal>(store, LEDGER_COLLECTIONS.seals),
  ]);
  return { vouchers, heads, seals };
}

/** One loan's vouchers and head (its chain alone; the seals are checked by the full verification). */
export async function readLoanLedger(store: DocStore, loanId: string): Promise<LedgerBooks> {
  const chain = ledgerChainOf(loanId);
  const [vouchers, head] = await Promise.all([
    store.find<Voucher & StoredDoc>(LEDGER_COLLECTIONS.vouchers, { chain }, { limit: 1000 }),
    store.get<ChainHead>(LEDGER_COLLECTIONS.heads, chain),
  ]);
  return { vouchers, heads: head ? [head] : [], seals: [] };
}

/** Verifies every chain and seal of the ledger (`[]` when intact). */
export async function verifyLedger(store: DocStore): Promise<LedgerProblem[]> {
  return verifyLedgerChains(auditKeys(), await readLedger(store));
}
