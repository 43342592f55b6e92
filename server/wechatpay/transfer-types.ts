import { z } from 'zod';

/** Every state a transfer bill can be in; SUCCESS, FAIL and CANCELLED are final. */
export const TRANSFER_BILL_STATES = [
  'ACCEPTED',
  'PROCESSING',
  'WAIT_USER_CONFIRM',
  'TRANSFERING',
  'SUCCESS',
  'FAIL',
  'CANCELING',
  'CANCELLED',
] as const;

/** A transfer bill's state as WeChat Pay reports it. */
export type TransferBillState = (typeof TRANSFER_BILL_STATES)[number];

/** States after which nothing changes any more. */
export const FINAL_TRANSFER_STATES: ReadonlySet<TransferBillState> = new Set([
  'SUCCESS',
  'FAIL',
  'CANCELLED',
]);

/** One report line a transfer scene requires (shown to WeChat, not to the user). */
export interface TransferSceneReportInfo {
  /** Fixed per scene, ≤ 15 chars. */
  info_type: string;
  /** Merchant's content, ≤ 32 chars. */
  info_content: string;
}

/** What the payout code supplies to create a transfer (the client adds `appid` and encrypts the name). */
export interface CreateTransferInput {
  /** Our bill number: ≤ 32 letters/digits, saved BEFORE the call and reused on every retry. */
  outBillNo: string;
  /** Transfer scene the merchant was granted. */
  transferSceneId: string;
  /** Payee openid under the configured appid. */
  openid: string;
  /** Amount in integer fen, ≥ 10. */
  transferAmount: number;
  /** Shown to the user, ≤ 32 chars. */
  transferRemark: string;
  /** Plain payee name; required by WeChat from 200,000 fen. Encrypted by the client, never logged. */
  userName?: string;
  /** HTTPS callback for MCHTRANSFER.BILL.FINISHED, no query string. */
  notifyUrl?: string;
  /** What the user sees as the reason for the money (scene-specific wording). */
  userRecvPerception?: string;
  /** Report lines the scene requires. */
  transferSceneReportInfos: TransferSceneReportInfo[];
}

/** The JSON body of POST /v3/fund-app/mch-transfer/transfer-bills. */
export interface CreateTransferBody {
  appid: string;
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  user_name?: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: TransferSceneReportInfo[];
}

const state = z.enum(TRANSFER_BILL_STATES);

/** Answer of the create call. */
export const transferBillCreatedSchema = z.object({
  out_bill_no: z.string(),
  transfer_bill_no: z.string(),
  create_time: z.string(),
  state,
  fail_reason: z.string().optional(),
  /** Hand to `wx.requestMerchantTransfer({ package })`; single use, bound to the payee. */
  package_info: z.string().optional(),
});
/** Answer of the create call. */
export type TransferBillCreated = z.infer<typeof transferBillCreatedSchema>;

/** Answer of the query by out_bill_no. */
export const transferBillSchema = z.object({
  mch_id: z.string(),
  out_bill_no: z.string(),
  transfer_bill_no: z.string(),
  appid: z.string(),
  state,
  transfer_amount: z.number().int(),
  transfer_remark: z.string(),
  fail_reason: z.string().optional(),
  openid: z.string().optional(),
  /** Encrypted name as WeChat returns it, when one was sent. */
  user_name: z.string().optional(),
  create_time: z.string(),
  update_time: z.string(),
});
/** Answer of the query by out_bill_no. */
export type TransferBill = z.infer<typeof transferBillSchema>;

/** Answer of the cancel call (an accepted cancel is CANCELING, not yet final). */
export const transferBillCancelledSchema = z.object({
  out_bill_no: z.string(),
  transfer_bill_no: z.string(),
  state,
  update_time: z.string(),
});
/** Answer of the cancel call. */
export type TransferBillCancelResult = z.infer<typeof transferBillCancelledSchema>;

/** The error body every APIv3 failure carries. */
export const apiErrorBodySchema = z.object({
  code: z.string(),
  message: z.string().optional(),
});

/** The decrypted resource of MCHTRANSFER.BILL.FINISHED (`mchid` in some docs is normalised to `mch_id`). */
export const transferBillNoticeSchema = z.preprocess(
  (value) => {
    if (value && typeof value === 'object' && !('mch_id' in value) && 'mchid' in value) {
      const { mchid, ...rest } = value as Record<string, unknown>;
      return { ...rest, mch_id: mchid };
    }
    return value;
  },
  z.object({
    mch_id: z.string(),
    out_bill_no: z.string(),
    transfer_bill_no: z.string(),
    state,
    transfer_amount: z.number().int(),
    openid: z.string(),
    fail_reason: z.string().optional(),
    create_time: z.string(),
    update_time: z.string(),
  }),
);
/** The decrypted resource of MCHTRANSFER.BILL.FINISHED. */
export type TransferBillNotice = z.infer<typeof transferBillNoticeSchema>;

/** The (still encrypted) notification envelope WeChat Pay POSTs. */
export const notificationEnvelopeSchema = z.object({
  id: z.string(),
  create_time: z.string(),
  resource_type: z.string(),
  event_type: z.string(),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
    nonce: z.string(),
  }),
});
/** The notification envelope. */
export type NotificationEnvelope = z.infer<typeof notificationEnvelopeSchema>;
