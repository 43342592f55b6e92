/** A transfer bill's state; SUCCESS, FAIL and CANCELLED are final. */
export type BillState =
  | 'ACCEPTED'
  | 'PROCESSING'
  | 'WAIT_USER_CONFIRM'
  | 'TRANSFERING'
  | 'SUCCESS'
  | 'FAIL'
  | 'CANCELING'
  | 'CANCELLED';

/** The one table of allowed transitions; every state change goes through it. */
export const ALLOWED_TRANSITIONS: Readonly<Record<BillState, readonly BillState[]>> = {
  ACCEPTED: ['PROCESSING', 'CANCELING', 'FAIL'],
  PROCESSING: ['WAIT_USER_CONFIRM', 'CANCELING', 'FAIL'],
  WAIT_USER_CONFIRM: ['TRANSFERING', 'CANCELING', 'FAIL'],
  TRANSFERING: ['SUCCESS', 'FAIL'],
  CANCELING: ['CANCELLED'],
  SUCCESS: [],
  FAIL: [],
  CANCELLED: [],
};

/** States that end a bill and trigger MCHTRANSFER.BILL.FINISHED. */
export const FINAL_STATES: ReadonlySet<BillState> = new Set(['SUCCESS', 'FAIL', 'CANCELLED']);

/** States in which the merchant may still cancel (the user has not confirmed). */
export const CANCELLABLE_STATES: ReadonlySet<BillState> = new Set([
  'ACCEPTED',
  'PROCESSING',
  'WAIT_USER_CONFIRM',
]);

/** A transfer bill as the sandbox keeps it. */
export interface SandboxBill {
  mchId: string;
  outBillNo: string;
  transferBillNo: string;
  appId: string;
  openid: string;
  transferSceneId: string;
  transferAmount: number;
  transferRemark: string;
  /** RSA-OAEP ciphertext as sent (the query returns it). */
  userNameCipher?: string;
  notifyUrl?: string;
  userRecvPerception?: string;
  reportInfos: Array<{ info_type: string; info_content: string }>;
  /** Hash of the request's meaning (decrypted name, not ciphertext) to spot a reused out_bill_no. */
  fingerprint: string;
  state: BillState;
  failReason?: string;
  packageInfo: string;
  packageConsumed: boolean;
  createdAt: number;
  updatedAt: number;
  /** Queries answer NOT_FOUND until this emulator time (fault injection). */
  hiddenUntil?: number;
  /** How the bill ends once the user confirms (default SUCCESS; faults may script FAIL). */
  settleAs: { state: 'SUCCESS' | 'FAIL'; failReason?: string };
}

/** One line of a bill's history (state change, API call, user action, notification attempt). */
export interface BillEvent {
  at: number;
  kind: 'state' | 'api' | 'user' | 'notification';
  detail: Record<string, unknown>;
}
