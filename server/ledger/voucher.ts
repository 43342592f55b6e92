import type { Fen } from '../../typings/money';
import type { AuditKeys } from '../audit/audit-keys';
import { chainLinkHash, GENESIS_HASH } from '../audit/hash-chain';

/** Accounts of the ledger: payouts touch the first two, repayments the rest too. */
export type LedgerAccount =
  | 'loans_receivable'
  | 'merchant_operating_cash'
  | 'repayment_cash'
  | 'interest_income'
  | 'penalty_income'
  | 'refund_payable'
  | 'loan_loss';

/** One side of a voucher: exactly one of debit/credit is non-zero. */
export interface VoucherLine {
  account: LedgerAccount;
  debit: Fen;
  credit: Fen;
}

/** A voucher before it is chained: what happened, for which bill, which lines. */
export interface VoucherDraft {
  kind: 'disbursement' | 'reversal' | 'repayment' | 'refund' | 'write_off';
  loanId: string;
  /** The payment reference: the payout bill, or the repayment order / refund number. */
  outBillNo: string;
  amount: Fen;
  lines: VoucherLine[];
  /** The voucher id a reversal undoes. */
  reverses?: string;
  /** Plain-language reason (reversals). */
  memo?: string;
}

/**
 * A stored voucher (`ledgerVouchers`): a link of its loan's own chain (`ledger:<loanId>`), keyed
 * (HMAC under an audit key from the environment) so a console edit cannot be re-hashed undetected.
 */
export interface Voucher extends VoucherDraft {
  /** Deterministic (`kind:outBillNo`), so a voucher can never be written twice. */
  _id: string;
  /** The loan's ledger chain, `ledger:<loanId>`. */
  chain: string;
  /** 1-based position in its chain. */
  seq: number;
  at: number;
  prevHash: string;
  /** Id of the HMAC key the link was made with. */
  kid: string;
  hash: string;
}

/** The ledger chain of a loan: every voucher of that loan, and only those. */
export function ledgerChainOf(loanId: string): string {
  return `${LEDGER_CHAIN_PREFIX}${loanId}`;
}

const LEDGER_CHAIN_PREFIX = 'ledger:';

/** The loan whose chain `chain` is (`ledgerChainOf` reversed); undefined for a chain not named like one. */
export function loanOfLedgerChain(chain: string): string | undefined {
  return chain.startsWith(LEDGER_CHAIN_PREFIX) ? chain.slice(LEDGER_CHAIN_PREFIX.length) : undefined;
}

/** Hash of the chain before the first voucher (the one genesis of every chain). */
export { GENESIS_HASH };

/** The voucher id for a draft: one disbursement and at most one reversal per bill. */
export function voucherId(draft: VoucherDraft): string {
  return `${draft.kind}:${draft.outBillNo}`;
}

/** Disbursement: the receivable grows, the operating account pays out. */
export function disbursementVoucher(loanId: string, outBillNo: string, amount: Fen): VoucherDraft {
  return {
    kind: 'disbursement',
    loanId,
    outBillNo,
    amount,
    lines: [
      { account: 'loans_receivable', debit: amount, credit: 0 as Fen },
      { account: 'merchant_operating_cash', debit: 0 as Fen, credit: amount },
    ],
  };
}

/** Reversal of a disbursement voucher (an operator's correction): the mirror lines. */
export function reversalVoucher(original: Voucher, memo: string): VoucherDraft {
  return {
    kind: 'reversal',
    loanId: original.loanId,
    outBillNo: original.outBillNo,
    amount: original.amount,
    reverses: original._id,
    memo,
    lines: original.lines.map((l) => ({ account: l.account, debit: l.credit, credit: l.debit })),
  };
}

/** What a voucher's MAC covers besides its position: every field but the link fields themselves. */
function voucherEntry(
  v: Omit<Voucher, 'hash' | 'kid'>,
): Omit<Voucher, 'hash' | 'kid' | 'chain' | 'seq' | 'prevHash'> {
  const { chain: _chain, seq: _seq, prevHash: _prev, ...entry } = v;
  return entry;
}

/** The keyed MAC of a stored voucher under its own key id (undefined when the key is unknown). */
export function voucherHash(keys: AuditKeys, v: Omit<Voucher, 'hash'>): string | undefined {
  return chainLinkHash(keys, v.kid, {
    chain: v.chain,
    seq: v.seq,
    prevHash: v.prevHash,
    entry: voucherEntry(v),
  });
}

/** Builds the stored voucher that follows `head` in its loan's chain, under the active key. */
export function chainVoucher(
  keys: AuditKeys,
  head: { seq: number; hash: string },
  draft: VoucherDraft,
  at: number,
): Voucher {
  const link: Omit<Voucher, 'hash'> = {
    ...draft,
    _id: voucherId(draft),
    chain: ledgerChainOf(draft.loanId),
    seq: head.seq + 1,
    at,
    prevHash: head.hash,
    kid: keys.activeKid,
  };
  return { ...link, hash: voucherHash(keys, link) ?? '' };
}

/** True when debits equal credits and every line is whole, non-negative fen on one side only. */
export function isBalanced(draft: VoucherDraft): boolean {
  let debit = 0;
  let credit = 0;
  for (const line of draft.lines) {
    if (!Number.isSafeInteger(line.debit) || !Number.isSafeInteger(line.credit)) return false;
    if (line.debit < 0 || line.credit < 0 || line.debit > 0 === line.credit > 0) return false;
    debit += line.debit;
    credit += line.credit;
  }
  return debit === credit && debit === draft.amount;
}
