/**
 * The ledger sweep's reads and checks of whole loans and chains (ledger-sweep.ts runs them per tick).
 */
import { auditKeys } from '../audit/audit-keys';
import type { ChainHead } from '../audit/chain-head';
import { checkLedgerAgainstBills, verifyLedgerChains, type LedgerProblem } from '../ledger/check';
import { ledgerChainOf, loanOfLedgerChain, type Voucher } from '../ledger/voucher';
import { inBatches } from '../runtime/in-batches';
import { findAllByCursor } from '../storage/cursor-pages';
import type { DocStore, StoredDoc } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { PayoutDoc } from './payout-doc';
import { billFacts } from './reconcile';

/** Ascending order on `field`, at most `limit` documents. */
export const ascending = (field: string, limit: number) => ({
  orderBy: { field, direction: 'asc' as const },
  limit,
});

const IN_CHUNK = 100;
const PAGE = 1000;
/** `$in` queries of one read kept in flight at once. */
const CHUNKS_AT_ONCE = 4;
/** Every document of `collection` whose `field` is one of `values` (chunked, cursor-paged; none: no call). */
async function findIn<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  field: string,
  values: readonly string[],
): Promise<T[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) chunks.push(values.slice(i, i + IN_CHUNK));
  const found = await inBatches(chunks, CHUNKS_AT_ONCE, (chunk) =>
    findAllByCursor<T>(store, collection, { [field]: { $in: chunk } }, PAGE),
  );
  return found.flat();
}

/** Documents already in hand, and which ids are known not to exist, for one collection. */
export interface InHand<T extends StoredDoc> {
  docs: Map<string, T>;
  absent: (id: string) => boolean;
}

export const nothingInHand = <T extends StoredDoc>(): InHand<T> => ({ docs: new Map(), absent: () => false });

/** What one sweep checks: loans (their payout, every voucher naming them) and chains (every link, the head). */
export interface Subjects {
  loans: Set<string>;
  chains: Set<string>;
}

/** The ledger's part for some subjects: vouchers, heads and payouts. */
export interface Books {
  vouchers: Voucher[];
  heads: ChainHead[];
  payouts: PayoutDoc[];
}

/**
 * Reads the books of `subjects`: vouchers by chain, heads and payouts by id (none that is in hand or
 * known absent), side by side. A voucher read that names a chain or loan not asked for (a voucher
 * moved or made in the console) brings that one in too, read the same way. A voucher whose `loanId`
 * names a loan its `chain` does not is found through its chain: by the rolling pass over vouchers, and
 * from then on through its chain's open problem.
 */
export async function readBooks(
  store: DocStore,
  subjects: Subjects,
  heads: InHand<ChainHead>,
  payouts: InHand<PayoutDoc & StoredDoc>,
): Promise<Books> {
  const books: Books = { vouchers: [], heads: [], payouts: [] };
  const seenVouchers = new Set<string>();
  const asked: Subjects = { loans: new Set(), chains: new Set() };
  let ask: Subjects = subjects;
  for (let round = 0; round < 3 && (ask.loans.size > 0 || ask.chains.size > 0); round++) {
    const chains = [...ask.chains];
    const loans = [...ask.loans];
    for (const c of chains) asked.chains.add(c);
    for (const l of loans) asked.loans.add(l);
    const [byChain, moreHeads, morePayouts] = await Promise.all([
      findIn<Voucher & StoredDoc>(store, C.ledgerVouchers, 'chain', chains),
      findIn<ChainHead>(
        store,
        C.ledgerHeads,
        '_id',
        chains.filter((c) => !heads.docs.has(c) && !heads.absent(c)),
      ),
      findIn<PayoutDoc & StoredDoc>(
        store,
        C.payouts,
        '_id',
        loans.filter((id) => !payouts.docs.has(id) && !payouts.absent(id)),
      ),
    ]);
    for (const v of byChain)
      if (!seenVouchers.has(v._id)) {
        seenVouchers.add(v._id);
        books.vouchers.push(v);
      }
    books.heads.push(...chains.flatMap((c) => heads.docs.get(c) ?? []), ...moreHeads);
    books.payouts.push(...loans.flatMap((l) => payouts.docs.get(l) ?? []), ...morePayouts);
    // A voucher naming a chain or loan not asked for brings in that one whole (the loan with its chain).
    const more: Subjects = { loans: new Set(), chains: new Set() };
    for (const v of books.vouchers) addVoucher(more, v);
    ask = {
      loans: new Set([...more.loans].filter((l) => !asked.loans.has(l))),
      chains: new Set([...more.chains].filter((c) => !asked.chains.has(c))),
    };
  }
  return books;
}

/** The chain and bill problems of the books read (the same checks as the full `checkLedger`). */
export function bookProblems(books: Books, now: number): LedgerProblem[] {
  return [
    ...verifyLedgerChains(auditKeys(), { vouchers: books.vouchers, heads: books.heads, seals: [] }),
    ...checkLedgerAgainstBills(
      books.vouchers,
      books.payouts.map((p) => billFacts(p, now)),
    ),
  ];
}

/** The loans and chains a list of problems is about. */
export function subjectsOf(problems: readonly LedgerProblem[], vouchers: readonly Voucher[]): Subjects {
  const subjects: Subjects = { loans: new Set(), chains: new Set() };
  for (const p of problems) {
    if (p.ref.startsWith('seal#')) continue;
    if (p.code === 'VOUCHER_UNBALANCED') {
      const v = vouchers.find((x) => x._id === p.ref);
      if (v) addVoucher(subjects, v);
    } else if (p.code === 'CHAIN_BROKEN') addChain(subjects, p.ref.replace(/#\d+$/, ''));
    else addLoan(subjects, p.ref);
  }
  return subjects;
}

/** A loan's subjects: its payout and its own chain. */
export function addLoan(subjects: Subjects, loanId: string): void {
  subjects.loans.add(loanId);
  subjects.chains.add(ledgerChainOf(loanId));
}

/** A chain's subjects: the chain, and the loan it belongs to when it is named like a loan's. */
export function addChain(subjects: Subjects, chain: string): void {
  subjects.chains.add(chain);
  const loanId = loanOfLedgerChain(chain);
  if (loanId !== undefined) subjects.loans.add(loanId);
}

/** A voucher's subjects: its loan (with the loan's chain) and the chain it is stored in. */
export function addVoucher(subjects: Subjects, v: Voucher): void {
  addLoan(subjects, v.loanId);
  if (typeof v.chain === 'string') addChain(subjects, v.chain);
}
