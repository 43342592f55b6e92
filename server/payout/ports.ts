import type { Clock } from '../clock';
import type { Fen } from '../../typings/money';
import type { TransferState } from '../../typings/payout';
import type { MerchantProfile } from '../merchant/profile';
import type { VoucherDraft } from '../ledger/voucher';
import type { PayoutDoc, TransferRequestBody } from './payout-doc';
import type { PayoutLimits } from './limits';
import type { DocPayoutStore } from './doc-payout-store';

/** What WeChat answered to a create, classified for the exactly-once rules. */
export type CreateOutcome =
  /** The bill exists at WeChat in `state`. */
  | {
      kind: 'accepted';
      state: TransferState;
      transferBillNo?: string;
      packageInfo?: string;
      failReason?: string;
    }
  /** Timeout, 5xx, SYSTEM_ERROR, FREQUENCY_LIMITED, NOT_ENOUGH, unknown code: resend the same, or query. */
  | { kind: 'ambiguous'; code: string }
  /** A definite refusal of the parameters (PARAM_ERROR, NO_AUTH …): the bill was not created as sent. */
  | { kind: 'refused'; code: string; message: string };

/** What a query by `out_bill_no` found. */
export type QueryOutcome =
  | {
      kind: 'found';
      state: TransferState;
      amount: number;
      openid: string;
      transferBillNo?: string;
      packageInfo?: string;
      failReason?: string;
    }
  /** Not (yet) visible; right after a create this means "still processing", never "failed". */
  | { kind: 'not_found' }
  | { kind: 'ambiguous'; code: string };

/** What a cancel request answered. */
export type CancelOutcome =
  | { kind: 'accepted'; state: 'CANCELING' | 'CANCELLED' }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'ambiguous'; code: string };

/** The three WeChat Pay calls a payout needs (signed APIv3 requests). */
export interface TransferApi {
  /** `POST /v3/fund-app/mch-transfer/transfer-bills`. */
  create(body: TransferRequestBody): Promise<CreateOutcome>;
  /** `GET …/transfer-bills/out-bill-no/{no}`. */
  query(outBillNo: string): Promise<QueryOutcome>;
  /** `POST …/transfer-bills/out-bill-no/{no}/cancel`. */
  cancel(outBillNo: string): Promise<CancelOutcome>;
  /** RSA-OAEP encryption of the payee's real name with WeChat Pay's public key (base64). */
  encryptUserName(plain: string): string;
}

/** The loan statuses a payout moves a loan between (names from the loan domain's table). */
export type LoanPayoutStatus = 'disbursing' | 'awaiting_confirmation' | 'disbursed' | 'disbursement_failed';

/** Who causes a payout change (audit actor). */
export interface PayoutActor {
  /** Operator or borrower openid, or `system:<component>`. */
  id: string;
  type: 'borrower' | 'operator' | 'system';
}

/** One payout event; each becomes exactly one audit record in the same transaction. */
export interface PayoutEvent {
  /** e.g. `payout.intent`, `payout.bill.WAIT_USER_CONFIRM`, `payout.retry`, `payout.cancel_requested`. */
  type: string;
  actor: PayoutActor;
  /** Codes and ids only, never personal data. */
  detail: Record<string, string | number | boolean>;
}

/** Limit reservation checked and applied atomically with the intent. */
export interface LimitReservation {
  day: string;
  /** The bill number: picks the merchant shard the reservation lands in (and is released from). */
  key: string;
  openid: string;
  amount: Fen;
  limits: PayoutLimits;
}

/** Everything one payout state change writes, in one transaction. */
export interface PayoutCommit {
  /** `null` inserts; otherwise the write only happens if the stored version still equals it. */
  expectedVersion: number | null;
  next: PayoutDoc;
  /** Reserve limit counters (checked first; a refusal aborts the whole commit). */
  reserve?: LimitReservation;
  /** Give back a confirmed-unpaid bill's amount reservation. */
  release?: { day: string; key: string; openid: string; amount: Fen };
  /**
   * Loan status change through the loan domain's transition table, which also queues the
   * borrower's notification (outbox) with `note` (reason + next step) in the same transaction.
   */
  loanStatus?: { to: LoanPayoutStatus; note?: string };
  events: PayoutEvent[];
  vouchers: VoucherDraft[];
  /**
   * Set when the change may be written as one conditional update of the payout document when it
   * changes nothing else (no counters, vouchers or loan status): its audit records then wait in the
   * payout document for its next transaction (server/payout/payout-alone.ts).
   */
  alone?: boolean;
  /** Set when `next` carries the booking the payout held still pending (booking.ts): not booked first. */
  carriesBooking?: boolean;
}

/** Outcome of a commit. */
export type CommitResult =
  /** Written; `doc` is the payout as stored (its audit head included). */
  | { kind: 'committed'; doc: PayoutDoc }
  /** Someone else wrote first (or the insert found an existing doc): re-read and decide again. */
  | { kind: 'conflict' }
  /** A limit refused the reservation; nothing was written. */
  | { kind: 'refused'; code: string; message: string };

/** Reveals the payee's real name for transfers that require it (identity domain). */
export interface PayeeNames {
  realNameOf(openid: string): Promise<string>;
}

/** Tunables of the payout process (configuration, with defaults in payout-config.ts). */
export interface PayoutSettings {
  /** Bills per loan before the application waits for an operator or appeal. */
  maxAttempts: number;
  /** WeChat closes an unconfirmed bill after this long (24 h). */
  confirmWindowMs: number;
  /** Extra time after the window before the reconciler asks for a cancel itself. */
  closeGraceMs: number;
  /** After this long without a final state, the bill is escalated to operators. */
  escalateAfterMs: number;
  /** An intent older than this with no WeChat answer is resent by the reconciler. */
  resendIntentAfterMs: number;
  /** Amount from which `user_name` is required (fen). */
  realNameThresholdFen: Fen;
}

/** Everything the payout process needs from outside. */
export interface PayoutDeps {
  store: DocPayoutStore;
  transfer: TransferApi;
  names: PayeeNames;
  clock: Clock;
  profile: MerchantProfile;
  limits: PayoutLimits;
  settings: PayoutSettings;
  /** Crash injection hook (`WXLEND_CRASH_AT`); a no-op in production. */
  crashPoint: (point: CrashPoint) => void;
}

/** The places a payout can crash that the reconciler (or WeChat's redelivery) must recover from. */
export type CrashPoint =
  | 'payout.before_create'
  | 'payout.after_send'
  | 'payout.after_reply'
  | 'payout.after_write'
  /** A verified notification, before our write. */
  | 'payout.notify_before_write'
  /** Our write of a notification is durable, the 204 not yet sent. */
  | 'payout.notify_after_write';
