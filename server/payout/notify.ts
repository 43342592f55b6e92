import {
  notificationFailureBody,
  rawBodyOfHttpEvent,
  transferNoticeMismatches,
  verifyTransferNotification,
  WechatPayError,
  type WechatPayKeyring,
} from '../wechatpay';
import { settle } from './settle';
import type { PayoutDeps } from './ports';

/** The CloudBase HTTP access integration event (only what a notification needs). */
export interface HttpAccessEvent {
  httpMethod?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** The integration response CloudBase turns into the HTTP answer. */
export interface HttpAccessResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

/** What verifying a notification needs besides the payout deps. */
export interface NotificationKeys {
  keyring: WechatPayKeyring;
  apiV3Key: string;
  mchId: string;
}

function answer(statusCode: number, message?: string): HttpAccessResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: message === undefined ? '' : JSON.stringify(notificationFailureBody(message)),
    isBase64Encoded: false,
  };
}

/** HTTP status for a refused notification: 401 for signature problems, 400 for the rest. */
function statusFor(error: WechatPayError): number {
  const signature = [
    'SIGNATURE_HEADERS_MISSING',
    'SIGNATURE_PROBE',
    'UNKNOWN_SERIAL',
    'TIMESTAMP_OUT_OF_WINDOW',
    'SIGNATURE_INVALID',
  ];
  return signature.includes(error.code) ? 401 : 400;
}

/**
 * Handles MCHTRANSFER.BILL.FINISHED: verifies the signature on the raw bytes (key by serial,
 * 5-minute window, probes refused), decrypts, checks bill number + amount + openid against our
 * record, records the state idempotently, and answers 204 only after that write is durable. What
 * the state books (ledger, loan, limits) is left pending on the payout and committed by the next
 * `payout.progress` call or the reconcile timer (booking.ts): WeChat is answered within ≤ 6 calls.
 * Anything refused or failed answers 4xx/5xx with `{"code":"FAIL"}` and changes nothing.
 */
export async function handleTransferNotification(
  deps: PayoutDeps,
  keys: NotificationKeys,
  event: HttpAccessEvent,
): Promise<HttpAccessResponse> {
  if ((event.httpMethod ?? 'POST').toUpperCase() !== 'POST') return answer(405, 'method not allowed');
  let verified;
  try {
    verified = verifyTransferNotification({
      headers: event.headers ?? {},
      body: rawBodyOfHttpEvent(event),
      keyring: keys.keyring,
      apiV3Key: keys.apiV3Key,
      nowMs: deps.clock.now(),
    });
  } catch (error) {
    if (error instanceof WechatPayError) {
      console.warn(`[payNotify] refused: ${error.code}`);
      return answer(statusFor(error), error.code);
    }
    throw error;
  }
  const notice = verified.bill;
  try {
    const doc = await deps.store.findByBillNo(notice.out_bill_no);
    const bill = doc?.bills.find((b) => b.outBillNo === notice.out_bill_no);
    if (!doc || !bill) {
      console.warn('[payNotify] refused: UNKNOWN_BILL');
      return answer(404, 'UNKNOWN_BILL');
    }
    const mismatches = transferNoticeMismatches(notice, {
      mchId: keys.mchId,
      outBillNo: bill.outBillNo,
      transferAmount: bill.amount,
      openid: bill.openid,
    });
    if (mismatches.length > 0) {
      // A validly signed notice that disagrees with our record is treated as a forgery.
      console.warn(`[payNotify] refused: MISMATCH ${mismatches.join(',')} on ${bill.outBillNo}`);
      return answer(400, 'RECORD_MISMATCH');
    }
    const obs = {
      outBillNo: notice.out_bill_no,
      state: notice.state,
      source: 'notify',
      transferBillNo: notice.transfer_bill_no,
    };
    deps.crashPoint('payout.notify_before_write');
    // The payout in hand is not looked up again; the booking this state causes follows later (booking.ts).
    await settle(deps, notice.fail_reason ? { ...obs, failReason: notice.fail_reason } : obs, {
      inHand: doc,
    });
    deps.crashPoint('payout.notify_after_write');
    return answer(204);
  } catch (error) {
    console.error(`[payNotify] not applied: ${(error as Error).name}`);
    return answer(500, 'NOT_APPLIED');
  }
}
