import type { AuditKeys } from '../audit/audit-keys';
import type { ChainHead } from '../audit/chain-head';
import { checkSealChain, FIRST_SEAL, type AuditSeal, type SealCursor } from '../audit/seal';
import { GENESIS_HASH, isBalanced, ledgerChainOf, voucherHash, voucherId, type Voucher } from './voucher';

/** What a payout looks like to the ledger check. */
export interface PaidBillFacts {
  loanId: string;
  /** The bill that reached SUCCESS, if any. */
  succeededBillNo?: string;
  amount: number;
  /**
   * A final state recorded whose booking is still pending (payout booking.ts): the ledger is not
   * compared for this loan yet; `overdue` (pending for minutes) is reported.
   */
  booking?: 'pending' | 'overdue';
}

/** One disagreement found by the check, for the operators' report. */
export interface LedgerProblem {
  code:
    | 'CHAIN_BROKEN'
    | 'VOUCHER_UNBALANCED'
    | 'DISBURSED_WITHOUT_SUCCESS'
    | 'SUCCESS_WITHOUT_DISBURSEMENT'
    | 'AMOUNT_MISMATCH'
    /** A recorded final state left unbooked for longer than the timer should ever take. */
    | 'BOOKING_OVERDUE';
  /** The loan, or for a broken chain the first broken link (`ledger:<loanId>#<seq>`, `seal#<seq>`). */
  ref: string;
  detail: string;
}

/** Everything the ledger stores: vouchers, the per-loan heads and the seal chain. */
export interface LedgerBooks {
  vouchers: readonly Voucher[];
  heads: readonly ChainHead[];
  seals: readonly AuditSeal[];
}

/** A `CHAIN_BROKEN` problem naming a chain's first broken link (`seal` for the seal chain itself). */
export const brokenLink = (chain: string, seq: number, reason: string): LedgerProblem => ({
  code: 'CHAIN_BROKEN',
  ref: `${chain}#${seq}`,
  detail: reason,
});

/** The first broken link of one loan's chain (vouchers in `seq` order) against its head, if any. */
function checkLoanChain(
  keys: AuditKeys,
  chain: string,
  vouchers: readonly Voucher[],
  head: ChainHead | undefined,
): LedgerProblem | undefined {
  let prev = GENESIS_HASH;
  for (const [index, v] of vouchers.entries()) {
    const seq = index + 1;
    if (v.seq !== seq) return brokenLink(chain, seq, 'gap');
    if (ledgerChainOf(v.loanId) !== chain || v._id !== voucherId(v))
      return brokenLink(chain, seq, 'subject_mismatch');
    if (v.prevHash !== prev) return brokenLink(chain, seq, 'prev_mismatch');
    const { hash, ...link } = v;
    const expected = typeof v.kid === 'string' ? voucherHash(keys, link) : undefined;
    if (expected === undefined) return brokenLink(chain, seq, 'unknown_key');
    if (expected !== hash) return brokenLink(chain, seq, 'hash_mismatch');
    prev = hash;
  }
  if (!head || head.seq !== vouchers.length || head.hash !== prev)
    return brokenLink(chain, Math.min(head?.seq ?? 0, vouchers.length) + 1, 'head_mismatch');
  return undefined;
}

/** Vouchers by chain, each chain in `seq` order. */
function chainsOf(vouchers: readonly Voucher[]): Map<string, Voucher[]> {
  const byChain = new Map<string, Voucher[]>();
  for (const v of vouchers) {
    const chain = typeof v.chain === 'string' ? v.chain : ledgerChainOf(v.loanId);
    const list = byChain.get(chain);
    if (list) list.push(v);
    else byChain.set(chain, [v]);
  }
  for (const list of byChain.values()) list.sort((a, b) => a.seq - b.seq);
  return byChain;
}

/** The first break of `seals` (after `from`, in any order) against chains grouped by chainsOf. */
function sealProblems(
  keys: AuditKeys,
  seals: readonly AuditSeal[],
  byChain: Map<string, Voucher[]>,
  from: SealCursor,
): LedgerProblem[] {
  const sealBreak = checkSealChain(
    keys,
    [...seals].sort((a, b) => a.seq - b.seq),
    (chain, seq) => byChain.get(chain)?.[seq - 1]?.hash,
    from,
  );
  return sealBreak ? [brokenLink(sealBreak.chain, sealBreak.seq, sealBreak.reason)] : [];
}

/**
 * Checks seals (the ones after `from`, in any order) and that every head they sealed is still the
 * link it was, against `vouchers`, which must hold every voucher of every chain the seals name.
 */
export function verifySeals(
  keys: AuditKeys,
  seals: readonly AuditSeal[],
  vouchers: readonly Voucher[],
  from: SealCursor = FIRST_SEAL,
): LedgerProblem[] {
  return seals.length === 0 ? [] : sealProblems(keys, seals, chainsOf(vouchers), from);
}

/**
 * Verifies every loan's voucher chain with the keys from the environment (an edit, even with every
 * hash recomputed, a removed voucher or tail, a rewritten head), the seal chain over the heads, and
 * that every voucher balances. Each broken chain is named by its first broken link.
 *
 * `books` may be a part of the ledger (the reconcile timer's sweep): whole chains (every voucher and
 * the head of each chain it holds) and the seals after `sealsFrom`, with every chain those seals name.
 */
export function verifyLedgerChains(
  keys: AuditKeys,
  books: LedgerBooks,
  sealsFrom: SealCursor = FIRST_SEAL,
): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  for (const v of books.vouchers)
    if (!isBalanced(v)) problems.push({ code: 'VOUCHER_UNBALANCED', ref: v._id, detail: 'debits ≠ credits' });
  const byChain = chainsOf(books.vouchers);
  const headOf = new Map(books.heads.map((h) => [h._id, h]));
  for (const chain of [...new Set([...byChain.keys(), ...headOf.keys()])].sort()) {
    const problem = checkLoanChain(keys, chain, byChain.get(chain) ?? [], headOf.get(chain));
    if (problem) problems.push(problem);
  }
  return [...problems, ...sealProblems(keys, books.seals, byChain, sealsFrom)];
}

/**
 * Checks that the ledger agrees with the bills: per loan, the net disbursed amount equals the
 * approved amount when (and only when) a bill succeeded, against that very bill. A payout whose
 * booking is pending is not a discrepancy; one pending for too long is reported.
 */
export function checkLedgerAgainstBills(
  vouchers: readonly Voucher[],
  payouts: readonly PaidBillFacts[],
): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const net = new Map<string, { amount: number; bills: Set<string> }>();
  for (const v of vouchers) {
    if (v.kind !== 'disbursement' && v.kind !== 'reversal') continue;
    const entry = net.get(v.loanId) ?? { amount: 0, bills: new Set<string>() };
    entry.amount += v.kind === 'disbursement' ? v.amount : -v.amount;
    if (v.kind === 'disbursement') entry.bills.add(v.outBillNo);
    net.set(v.loanId, entry);
  }
  for (const p of payouts) {
    if (p.booking) {
      // The booking commits the ledger and the payout's flag together: nothing to compare until then.
      net.delete(p.loanId);
      if (p.booking === 'overdue')
        problems.push({ code: 'BOOKING_OVERDUE', ref: p.loanId, detail: 'final state recorded, not booked' });
      continue;
    }
    const entry = net.get(p.loanId);
    const netAmount = entry?.amount ?? 0;
    if (p.succeededBillNo === undefined) {
      if (netAmount !== 0)
        problems.push({ code: 'DISBURSED_WITHOUT_SUCCESS', ref: p.loanId, detail: `net ${netAmount} fen` });
    } else if (netAmount === 0) {
      problems.push({ code: 'SUCCESS_WITHOUT_DISBURSEMENT', ref: p.loanId, detail: p.succeededBillNo });
    } else if (netAmount !== p.amount || !entry?.bills.has(p.succeededBillNo)) {
      problems.push({ code: 'AMOUNT_MISMATCH', ref: p.loanId, detail: `net ${netAmount} ≠ ${p.amount}` });
    }
    net.delete(p.loanId);
  }
  for (const [loanId, entry] of net) {
    if (entry.amount !== 0)
      problems.push({ code: 'DISBURSED_WITHOUT_SUCCESS', ref: loanId, detail: 'voucher for unknown payout' });
  }
  return problems;
}
