import { MerchantProfileError } from '../../server/merchant/profile';
import { envInjectedDelay } from '../../server/payout/crash-point';
import {
  handleTransferNotification,
  type HttpAccessEvent,
  type HttpAccessResponse,
} from '../../server/payout/notify';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { WechatPayError } from '../../server/wechatpay';
import { currentCaller } from '../../server/runtime/cloud';
import { callerVerdict, HTTP_ENTRY } from '../../server/runtime/caller-table';

/** `payNotify`: WeChat Pay's MCHTRANSFER.BILL.FINISHED callback, through HTTP access. */
export async function main(event: HttpAccessEvent): Promise<HttpAccessResponse> {
  // The caller table: only HTTP access may deliver a notification (never a client's callFunction).
  if (callerVerdict('payNotify', HTTP_ENTRY, currentCaller(), event) !== 'allow') {
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"FAIL","message":"FORBIDDEN"}',
      isBase64Encoded: false,
    };
  }
  try {
    const runtime = payoutRuntimeFromEnv();
    await envInjectedDelay();
    return await handleTransferNotification(runtime.deps, runtime.keys, event);
  } catch (error) {
    // Configuration problems name the field to fix (no personal data); anything else only its kind.
    const known = error instanceof MerchantProfileError || error instanceof WechatPayError;
    console.error(`[payNotify] unavailable: ${known ? (error as Error).message : (error as Error).name}`);
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"code":"FAIL","message":"UNAVAILABLE"}',
      isBase64Encoded: false,
    };
  }
}
