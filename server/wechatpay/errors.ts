/** Stable codes of everything the WeChat Pay library can refuse or fail with. */
export type WechatPayErrorCode =
  /** A required `Wechatpay-*` header is absent or malformed. */
  | 'SIGNATURE_HEADERS_MISSING'
  /** A `WECHATPAY/SIGNTEST/` probe: WeChat checks that merchants verify; never accept it. */
  | 'SIGNATURE_PROBE'
  /** `Wechatpay-Serial` names no key we hold. */
  | 'UNKNOWN_SERIAL'
  /** `Wechatpay-Timestamp` is more than 5 minutes away from our clock, either way. */
  | 'TIMESTAMP_OUT_OF_WINDOW'
  /** The RSA-SHA256 signature does not match the body. */
  | 'SIGNATURE_INVALID'
  /** The encrypted resource could not be decrypted (wrong key, flipped bit, bad tag). */
  | 'RESOURCE_DECRYPT_FAILED'
  /** The notification or answer is not the shape the API documents. */
  | 'MALFORMED_MESSAGE'
  /** The notification's `event_type` is not one this library handles. */
  | 'UNKNOWN_EVENT_TYPE'
  /** The request did not finish within the configured timeout: it may or may not have taken effect. */
  | 'TIMEOUT'
  /** The connection failed before an answer arrived: it may or may not have taken effect. */
  | 'NETWORK_ERROR'
  /** WeChat Pay answered an error; `apiCode` holds its code (PARAM_ERROR, SYSTEM_ERROR, …). */
  | 'API_ERROR'
  /** The configuration is incomplete or invalid. */
  | 'CONFIG_INVALID'
  /** Our own input breaks a documented API rule; nothing was sent. */
  | 'INVALID_INPUT';

/**
 * WeChat Pay API error codes after which the request's outcome is unknown or may succeed on a
 * retry with the SAME out_bill_no and parameters. Any code not listed here and not in
 * DEFINITE_API_CODES is treated as unknown too (the safe side).
 */
const DEFINITE_API_CODES = new Set([
  'PARAM_ERROR',
  'INVALID_REQUEST',
  'SIGN_ERROR',
  'NO_AUTH',
  'NOT_FOUND',
  'APPID_MCHID_NOT_MATCH',
]);

/** A failure of a WeChat Pay call or message check. Never carries personal data. */
export class WechatPayError extends Error {
  constructor(
    /** What went wrong, stable. */
    readonly code: WechatPayErrorCode,
    message: string,
    /** Extra facts for API errors: HTTP status and WeChat's own code. */
    readonly details: { httpStatus?: number; apiCode?: string } = {},
  ) {
    super(message);
    this.name = 'WechatPayError';
  }

  /**
   * True when the call may have taken effect or may succeed later (timeout, network, 5xx, 429,
   * NOT_ENOUGH, SYSTEM_ERROR, unknown codes, an unverifiable answer): retry with the SAME out_bill_no
   * and SAME parameters, or query first. False only for answers that definitely changed nothing.
   */
  get outcomeUnknown(): boolean {
    if (this.code === 'TIMEOUT' || this.code === 'NETWORK_ERROR') return true;
    if (this.code === 'SIGNATURE_INVALID' || this.code === 'UNKNOWN_SERIAL') return true;
    if (this.code === 'TIMESTAMP_OUT_OF_WINDOW' || this.code === 'SIGNATURE_HEADERS_MISSING') return true;
    if (this.code === 'SIGNATURE_PROBE' || this.code === 'MALFORMED_MESSAGE') return true;
    if (this.code !== 'API_ERROR') return false;
    if ((this.details.httpStatus ?? 500) >= 500) return true;
    return !DEFINITE_API_CODES.has(this.details.apiCode ?? '');
  }
}
