import { createHash, randomBytes } from 'node:crypto';

/** Merchant number of the CloudBase payment service provider the emulator plays. */
export const PROVIDER_MCH_ID = '1800000001';

/** A 32-character nonce like WeChat's. */
export function nonce(): string {
  return randomBytes(16).toString('hex');
}

/** `yyyyMMddHHmmss` in UTC+8, as v2 reports `time_end`. */
export function compactChinaTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `yyyy-MM-dd HH:mm:ss` in UTC+8, as v2 reports `success_time` of refunds. */
export function chinaTime(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** A numeric id of `length` digits starting with `prefix` (transaction_id, refund_id). */
export function numericId(prefix: string, length: number): string {
  let digits = prefix;
  while (digits.length < length) digits += String(randomBytes(1)[0]! % 10);
  return digits;
}

/** MD5 "sign" over the sorted fields; the SDK does not check it, it only keeps replies v2-shaped. */
function sign(fields: Record<string, unknown>): string {
  const text = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${typeof fields[k] === 'object' ? JSON.stringify(fields[k]) : String(fields[k])}`)
    .join('&');
  return createHash('md5').update(`${text}&key=wxlend-local`).digest('hex').toUpperCase();
}

/** A successful v2 reply: common fields + `result_code` SUCCESS + the API's own fields. */
export function successReply(
  common: { appid: string; subMchId: string },
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: common.appid,
    mch_id: PROVIDER_MCH_ID,
    sub_appid: common.appid,
    sub_mch_id: common.subMchId,
    nonce_str: nonce(),
    result_code: 'SUCCESS',
    ...fields,
  };
  return { ...body, sign: sign(body) };
}

/** A business failure: `return_code` SUCCESS, `result_code` FAIL with `err_code`/`err_code_des`. */
export function businessFailure(
  common: { appid: string; subMchId: string },
  errCode: string,
  errCodeDes: string,
): Record<string, unknown> {
  return successReply(common, { result_code: 'FAIL', err_code: errCode, err_code_des: errCodeDes });
}

/** A request failure (missing or malformed parameter): `return_code` FAIL with `return_msg`. */
export function requestFailure(message: string): Record<string, unknown> {
  return { return_code: 'FAIL', return_msg: message };
}
