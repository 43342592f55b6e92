import type { AdminReply, AdminRequest } from '../admin-router';
import { decodeApiOptions } from '../openapi/protobuf';
import type { PayApiContext, PayApiHandler } from './context';
import { closeOrder, queryOrder, unifiedOrder } from './order-api';
import { queryRefund, refund } from './refund-api';

/** The cloudPay methods the emulator serves (cloudPay has no transfer/payout method at all). */
export const payApiHandlers: Record<string, PayApiHandler> = {
  unifiedOrder,
  queryOrder,
  closeOrder,
  refund,
  queryRefund,
};

/**
 * Serves `wx.wxPayApi`: `requestData` is UTF-8 JSON in snake_case; the reply is raw v2-style JSON
 * sent as `application/json` (the SDK rejects exactly `application/json; charset=utf-8`).
 */
export function handlePayAction(
  request: AdminRequest,
  context: (appIdOverride: string) => PayApiContext,
): AdminReply {
  const api = String(request.params.apiName ?? '');
  const handler = payApiHandlers[api];
  if (!handler)
    return {
      kind: 'error',
      code: 'INVALID_PARAM',
      message: `cloudPay.${api} is not served by the local emulator`,
    };
  let params: unknown;
  try {
    params = JSON.parse((request.fields.requestData ?? Buffer.from('')).toString('utf8'));
  } catch {
    return { kind: 'error', code: 'INVALID_PARAM', message: 'requestData must be JSON' };
  }
  if (!params || typeof params !== 'object' || Array.isArray(params))
    return { kind: 'error', code: 'INVALID_PARAM', message: 'requestData must be a JSON object' };
  const { appid } = decodeApiOptions(request.fields.apiOptions);
  const reply = handler(params as Record<string, unknown>, context(appid));
  // A Buffer, not a string: fastify would append `; charset=utf-8` to a string's content type.
  return { kind: 'raw', contentType: 'application/json', body: Buffer.from(JSON.stringify(reply)) };
}
