/**
 * The ledger sweep's two passes over seals: where each stopped, and what it takes next.
 */
import type { AuditSeal, SealCursor } from '../audit/seal';
import { brokenLink, type LedgerProblem } from '../ledger/check';
import type { DocStore } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import { ascending } from './sweep-books';

/** Whole seals from `candidates`, at least one, until they name `maxHeads` heads. */
export function takeSeals(candidates: readonly AuditSeal[], maxHeads: number): AuditSeal[] {
  const seals: AuditSeal[] = [];
  let heads = 0;
  for (const seal of candidates) {
    if (seals.length > 0 && heads + seal.heads.length > maxHeads) break;
    seals.push(seal);
    heads += seal.heads.length;
  }
  return seals;
}

/**
 * The seals after the one a pass stopped at (`from`), given `page`, the seals read from it on (or from
 * the first when `from` is the start). The seal it stopped at must still be there as it was verified:
 * otherwise (removed: `gap`; rewritten: `hash_mismatch`) the problem is answered instead.
 */
export function afterStop(
  page: readonly AuditSeal[],
  from: SealCursor,
): { rest: AuditSeal[]; problem?: LedgerProblem } {
  if (from.seq === 0) return { rest: [...page] };
  const [first, ...rest] = page;
  if (!first || first.seq !== from.seq) return { rest: [], problem: brokenLink('seal', from.seq, 'gap') };
  if (first.hash !== from.hash) return { rest: [], problem: brokenLink('seal', from.seq, 'hash_mismatch') };
  return { rest };
}

/** Seals from the one `from` names on (from the first when it is the start), at most `limit`. */
export function sealsFrom(store: DocStore, from: SealCursor, limit: number): Promise<AuditSeal[]> {
  return store.find<AuditSeal>(
    C.ledgerSeals,
    { seq: { $gte: Math.max(1, from.seq) } },
    ascending('seq', limit),
  );
}
