/**
 * How CloudBase reports a failed invocation, in its two dialects: the admin wire `{code, message}` that
 * `cloud.callFunction` receives, and the `{errCode, errMsg}` that `wx.cloud.callFunction` rejects with in
 * the mini-program. Codes and message texts follow what CloudBase answers (docs.cloudbase.net error codes,
 * the mini-program errcode table, and messages seen from production clients).
 */
export interface FunctionErrorKind {
  /** Admin wire code (`FUNCTIONS_EXECUTE_FAIL`, …). */
  code: string;
  /** `errCode` the mini-program's `wx.cloud.callFunction` rejects with. */
  clientErrCode: number;
  /** Words CloudBase puts after the client errCode (`-504002 functions execute fail | errMsg: …`). */
  clientLabel: string;
  /** HTTP status the local client gateway answers with. */
  httpStatus: number;
}

/** The failure kinds of an invocation. */
export const FUNCTION_ERRORS = {
  /** No function of that name is deployed. */
  notFound: { code: 'FUNCTION_NOT_FOUND', clientErrCode: -501000, clientLabel: '', httpStatus: 404 },
  /** The function threw, rejected, crashed, or its module failed to load. */
  executeFail: {
    code: 'FUNCTIONS_EXECUTE_FAIL',
    clientErrCode: -504002,
    clientLabel: 'functions execute fail',
    httpStatus: 502,
  },
  /** The function ran past its `config.json` timeout and was stopped. */
  timeout: {
    code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
    clientErrCode: -504003,
    clientLabel: '',
    httpStatus: 504,
  },
  /** The function ran out of memory and its instance was stopped. */
  memory: {
    code: 'FUNCTION_MEMORY_LIMIT_EXCEEDED',
    clientErrCode: -504002,
    clientLabel: 'functions execute fail',
    httpStatus: 502,
  },
} satisfies Record<string, FunctionErrorKind>;

/** The biggest answer CloudBase passes back from a function (SCF status 407 beyond it). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** Message CloudBase gives for an unknown function name (clients match on this text). */
export function notFoundMessage(name: string): string {
  return `FunctionName parameter could not be found (function ${name})`;
}

/** Message CloudBase gives when the timeout stops a function. */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Invoking task timed out after ${timeoutSeconds} seconds`;
}

/** Message for an instance that exited before answering (SCF: `<code> code exit unexpected`). */
export function unexpectedExitMessage(exitCode: number): string {
  return `${exitCode} code exit unexpected`;
}

/** Message for an answer beyond `MAX_RESPONSE_BYTES`. */
export const RESPONSE_TOO_LARGE_MESSAGE = 'The size of response exceeds the upper limit (6MB)';

/** Finds the kind of a wire code; unknown codes count as execution failures. */
export function kindOfCode(code: string): FunctionErrorKind {
  const kinds: FunctionErrorKind[] = Object.values(FUNCTION_ERRORS);
  return kinds.find((kind) => kind.code === code) ?? FUNCTION_ERRORS.executeFail;
}

/** The `errMsg` text `wx.cloud.callFunction` rejects with for a wire error. */
export function clientErrMsg(error: { code: string; message: string }): string {
  const kind = kindOfCode(error.code);
  const label = kind.clientLabel ? ` ${kind.clientLabel}` : '';
  return `cloud.callFunction:fail Error: errCode: ${kind.clientErrCode}${label} | errMsg: ${error.message}`;
}
