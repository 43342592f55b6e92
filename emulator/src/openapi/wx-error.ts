/**
 * A WeChat API failure: answered as `{errcode, errmsg}` JSON inside `CommOpenApiResp`, which the SDK
 * throws with that errCode (e.g. 43101 for a subscribe message without authorisation).
 */
export class WxApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(errmsg);
  }
}

/** The generic "argument invalid" answer WeChat gives for a malformed parameter. */
export function invalidArgument(detail: string): WxApiError {
  return new WxApiError(47003, `argument invalid! ${detail}`);
}

/** Platform error codes that travel in `CommOpenApiResp.errorCode` instead of the JSON body. */
export const PLATFORM_ERRORS = {
  /** The calling function's config.json does not list the API in `permissions.openapi`. */
  noPermission: -604101,
  /** No such cloud-call API. */
  apiNotFound: -604100,
} as const;
