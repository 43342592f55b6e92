import { chainHash, GENESIS_HASH, isBalanced, type Voucher } from './voucher';

/** What a payout looks like to the ledger check. */
export interface PaidBillFacts {
  loanId: string;
  /** The bill that reached SUCCESS, if any. */
  succeededBillNo?: string;
  amount: number;
}

/** One disagreement found by the check, for the operators' report. */
export interface LedgerProblem {
  code:
    | 'CHAIN_BROKEN'
    | 'VOUCHER_UNBALANCED'
    | 'DISBURSED_WITHOUT_SUCCESS'
    | 'SUCCESS_WITHOUT_DISBURSEMENT'
    | 'AMOUNT_MISMATCH';
  ref: string;
  detail: string;
}

/** Verifies the hash chain end to end (vouchers in `seq` order) and that every voucher balances. */
export function verifyChain(vouchers: readonly Voucher[]): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  let prev = GENESIS_HASH;
  vouchers.forEach((v, index) => {
    const { hash, ...entry } = v;
    if (v.seq !== index + 1 || v.prevHash !== prev || chainHash(prev, entry) !== hash) {
      problems.push({ code: 'CHAIN_BROKEN', ref: v._id, detail: `voucher seq ${v.seq} does not chain` });
    }
    if (!isBalanced(v)) problems.push({ code: 'VOUCHER_UNBALANCED', ref: v._id, detail: 'debits ≠ credits' });
    prev = hash;
  });
  return problems;
}

/**
 * Checks that the ledger agrees with the bills: per loan, the net disbursed amount equals the
 * approved amount when (and only when) a bill succeeded, against that very bill.
 */
export function checkLedgerAgainstBills(
  vouchers: readonly Voucher[],
  payouts: readonly PaidBillFacts[],
): LedgerProblem[] {
  const problems = verifyChain(vouchers);
  const net = new Map<string, { amount: number; bills: Set<string> }>();
  for (const v of vouchers) {
    if (v.kind !== 'disbursement' && v.kind !== 'reversal') continue;
    const entry = net.get(v.loanId) ?? { amount: 0, bills: new Set<string>() };
    entry.amount += v.kind === 'disbursement' ? v.amount : -v.amount;
    if (v.kind === 'disbursement') entry.bills.add(v.outBillNo);
    net.set(v.loanId, entry);
  }
  for (const p of payouts) {
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
