import type { Fen } from '../../typings/money';
import type { LedgerAccount, VoucherDraft, VoucherLine } from '../ledger/voucher';
import type { Allocation } from './plan-doc';

/** Lines with a non-zero side only (a balanced voucher never carries empty lines). */
function lines(entries: Array<[LedgerAccount, 'debit' | 'credit', number]>): VoucherLine[] {
  return entries
    .filter(([, , amount]) => amount > 0)
    .map(([account, side, amount]) => ({
      account,
      debit: (side === 'debit' ? amount : 0) as Fen,
      credit: (side === 'credit' ? amount : 0) as Fen,
    }));
}

/** Cash received for a repayment order: Dr cash / Cr receivable principal, interest, penalty, refund payable. */
export function repaymentVoucher(
  loanId: string,
  outTradeNo: string,
  amount: Fen,
  a: Allocation,
): VoucherDraft {
  return {
    kind: 'repayment',
    loanId,
    outBillNo: outTradeNo,
    amount,
    lines: lines([
      ['repayment_cash', 'debit', amount],
      ['loans_receivable', 'credit', a.principal],
      ['interest_income', 'credit', a.interest],
      ['penalty_income', 'credit', a.penalty],
      ['refund_payable', 'credit', a.excess],
    ]),
  };
}

/** A refund accepted by cloudPay: Dr refund payable / Cr cash. */
export function refundVoucher(loanId: string, outRefundNo: string, amount: Fen): VoucherDraft {
  return {
    kind: 'refund',
    loanId,
    outBillNo: outRefundNo,
    amount,
    lines: lines([
      ['refund_payable', 'debit', amount],
      ['repayment_cash', 'credit', amount],
    ]),
  };
}

/** A write-off of the principal still receivable: Dr loan loss / Cr receivable. */
export function writeOffVoucher(loanId: string, amount: Fen): VoucherDraft {
  return {
    kind: 'write_off',
    loanId,
    outBillNo: `WO-${loanId}`,
    amount,
    lines: lines([
      ['loan_loss', 'debit', amount],
      ['loans_receivable', 'credit', amount],
    ]),
  };
}
