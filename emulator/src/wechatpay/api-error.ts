/** An APIv3 error answer: HTTP status plus WeChat's `{ code, message }`. */
export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** 400 PARAM_ERROR naming the offending field. */
export function paramError(message: string): SandboxApiError {
  return new SandboxApiError(400, 'PARAM_ERROR', message);
}
