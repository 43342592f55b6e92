import type { ApiError } from '../../typings/api';

/** A refusal or failure the borrower can read: a stable code and a Chinese message they can act on. */
export class ServiceError extends Error {
  /** Stable code from the function (or a transport code: NETWORK_ERROR, BACKEND_UNAVAILABLE). */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}

/** Borrower-facing messages for codes whose server text is not meant for the borrower, or that arise on the way. */
const MESSAGES: Record<string, string> = {
  NETWORK_ERROR: '网络不太稳定，请检查网络后重试',
  BACKEND_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL_ERROR: '系统繁忙，请稍后再试',
  INVALID_INPUT: '提交的信息有误，请检查后重试',
  UNKNOWN_ACTION: '当前版本过旧，请更新小程序后重试',
};

/** Turns a function's error into a ServiceError; the function's own Chinese message is kept unless overridden above. */
export function fromApiError(error: ApiError): ServiceError {
  return new ServiceError(error.code, MESSAGES[error.code] ?? error.message);
}

/** A failure before any function answered (no network, gateway refused, unexpected shape). */
export function transportError(code: 'NETWORK_ERROR' | 'BACKEND_UNAVAILABLE'): ServiceError {
  return new ServiceError(code, MESSAGES[code] ?? '请稍后再试');
}

/** The message to show for anything a service call threw. */
export function messageOf(error: unknown): string {
  return error instanceof ServiceError ? error.message : (MESSAGES.INTERNAL_ERROR ?? '请稍后再试');
}

/** The stable code of anything a service call threw. */
export function codeOf(error: unknown): string {
  return error instanceof ServiceError ? error.code : 'INTERNAL_ERROR';
}

/** Codes a second try can fix (the network, a busy backend); anything else needs the borrower to go elsewhere. */
const RETRYABLE = new Set([
  'NETWORK_ERROR',
  'BACKEND_UNAVAILABLE',
  'INTERNAL_ERROR',
  'TRY_AGAIN',
  'CONCURRENT_UPDATE',
]);

/** True when trying the same call again may succeed (wl-load-state offers 重试 only then). */
export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(codeOf(error));
}

/** True when a message promises help from customer service: the page then offers 联系客服 right there. */
export function promisesHelp(message: string): boolean {
  return message.includes('联系客服');
}
