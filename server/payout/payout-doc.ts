import type { Fen } from '../../typings/money';
import type { PayoutStatus } from '../../typings/ops';
import type { BillPhase } from '../../typings/payout';
import type { VoucherDraft } from '../ledger/voucher';
import type { PayoutActor, PayoutCommit } from './ports';

/** The exact body sent to `POST /v3/fund-app/mch-transfer/transfer-bills`, frozen in the intent. */
export interface TransferRequestBody {
  appid: string;
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  /** RSA-OAEP ciphertext (base64) made once and resent byte for byte; never the plaintext name. */
  user_name?: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: Array<{ info_type: string; info_content: string }>;
}

/** Why a bill is marked for cancellation: the money gate's refusal code at the freeze or blacklisting. */
export type BlockCode = 'BORROWER_FROZEN' | 'BORROWER_BLACKLISTED';

/** One phase change of a bill: when, from what, to what, and who said so. */
export interface BillHistoryEntry {
  at: number;
  from: BillPhase;
  to: BillPhase;
  /** `create`, `query`, `notify`, `cancel`, `operator:<openid>`, … */
  source: string;
}

/** One attempt to pay a loan: one bill number, fixed parameters. */
export interface PayoutBill {
  /** Deterministic from loan id + attempt. */
  outBillNo: string;
  /** 1-based. */
  attempt: number;
  amount: Fen;
  /** Payee openid. */
  openid: string;
  /** Exactly what is (re)sent to WeChat. */
  request: TransferRequestBody;
  phase: BillPhase;
  /** WeChat's bill number once known. */
  transferBillNo?: string;
  /** `package_info` for the borrower's confirmation; never shown to anyone else. */
  packageInfo?: string;
  /** WeChat's fail reason code. */
  failReason?: string;
  /** Number of create requests sent (same number, same body). */
  createCalls: number;
  /** Last ambiguous or refused answer, for operators (codes only, no personal data). */
  lastError?: string;
  /** Whether a cancel was requested (operator or reconciler). */
  cancelRequested: boolean;
  /**
   * Set when the borrower was frozen or blacklisted while this bill was not final: the bill is
   * cancelled (never confirmed) and its package never handed out again, even after an unfreeze.
   */
  cancelFor?: BlockCode;
  /** UTC+8 day (YYYYMMDD) whose limit counters hold this bill's reservation. */
  reservedDay: string;
  createdAt: number;
  updatedAt: number;
  /** When WeChat first answered (the 24 h confirmation window counts from here). */
  acceptedAt?: number;
  finalAt?: number;
  history: BillHistoryEntry[];
}

/** Where a loan's payout stands as a whole (typings/ops.ts: operators' views show it too). */
export type { PayoutStatus };

/** The `payouts` collection: one document per loan, `_id` = loan id. */
export interface PayoutDoc {
  _id: string;
  /** Payee (the borrower), from the loan. */
  borrowerOpenid: string;
  /** Approved principal, fen. */
  amount: Fen;
  status: PayoutStatus;
  /** Reason shown when failed or manual (plain language). */
  reason?: string;
  /** Every attempt; the last one is current. */
  bills: PayoutBill[];
  /** Bill numbers, for lookup by notification (indexed). */
  billNos: string[];
  /** True while the current bill is not final (indexed: the reconciler's work list). */
  open: boolean;
  /**
   * True from a bill's final phase until the reconciler asked WeChat once more about every bill that
   * became final since `finalCheckedAt` (indexed: the reconciler's second work list).
   */
  finalCheck?: boolean;
  /** When the reconciler last heard WeChat confirm (or contradict) the final bills. */
  finalCheckedAt?: number;
  /**
   * Set when our record and WeChat's answer disagreed (`payoutDisagreements`): nothing moves money
   * for this loan automatically any more; an operator decides.
   */
  disputed?: boolean;
  /**
   * True while WeChat's final word on a bill is recorded but its booking (ledger voucher, loan
   * status, limit release) is not yet (indexed: the reconciler's backstop list). See booking.ts.
   */
  bookingPending?: boolean;
  /** The booking still to be committed while `bookingPending`. */
  booking?: PendingBooking;
  /** Incremented on every write; every update is conditional on it. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** The current (last) bill of a payout. */
export function currentBill(doc: PayoutDoc): PayoutBill {
  const bill = doc.bills[doc.bills.length - 1];
  if (!bill) throw new Error('payout without bills');
  return bill;
}

/** The effects of a recorded bill state still to be booked, kept on the payout until they are. */
export interface PendingBooking {
  vouchers: VoucherDraft[];
  loanStatus?: PayoutCommit['loanStatus'];
  release?: PayoutCommit['release'];
  /** Who reported the state (the booking's audit actor). */
  actor: PayoutActor;
  /** When the state was recorded: a booking pending for long is reported by the ledger check. */
  recordedAt: number;
}
