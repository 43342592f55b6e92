import type { Fen } from './money';

/** A merchant-transfer bill's state as WeChat Pay reports it (商家转账, upgraded version). */
export type TransferState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

/** Our record of a bill: `INTENT` = stored before WeChat confirmed it, then WeChat's own states. */
export type BillPhase = 'INTENT' | TransferState;

/** What the borrower's page passes to `wx.requestMerchantTransfer` to confirm receipt. */
export interface MerchantTransferConfirmation {
  /** Merchant number (商户号). */
  mchId: string;
  /** Mini-program appid bound to the merchant. */
  appId: string;
  /** `package_info` from the create answer; single use. */
  package: string;
  /** The payee's openid; must be the caller. */
  openId: string;
}

/** Where a loan's payout stands, in the borrower's terms. */
export type PayoutStage =
  'preparing' | 'awaiting_confirmation' | 'transferring' | 'disbursed' | 'failed' | 'manual_review';

/** The payout part of a loan's progress shown to its borrower. */
export interface PayoutProgress {
  /** Coarse stage for the page's step bar. */
  stage: PayoutStage;
  /** Plain-language status line. */
  message: string;
  /** Amount being paid out, fen. */
  amount: Fen;
  /** Why the payout failed or stopped, when it did. */
  reason?: string;
  /** What the borrower can do next, when anything. */
  nextStep?: string;
  /** Whether the borrower may ask for a new attempt now. */
  canRetry: boolean;
  /** Present only for the payee while the bill waits for confirmation. */
  confirmation?: MerchantTransferConfirmation;
  /** Epoch ms after which an unconfirmed bill is closed by WeChat. */
  confirmBefore?: number;
}

/** Operator's view of one bill (full history). */
export interface PayoutBillView {
  /** Our bill number. */
  outBillNo: string;
  /** 1-based attempt number within the loan. */
  attempt: number;
  /** Current phase. */
  phase: BillPhase;
  /** Amount in fen. */
  amount: Fen;
  /** WeChat's own bill number, once known. */
  transferBillNo?: string;
  /** WeChat's fail reason code, when FAIL. */
  failReason?: string;
  /** Every phase change with its source. */
  history: Array<{ at: number; from: BillPhase; to: BillPhase; source: string }>;
}
