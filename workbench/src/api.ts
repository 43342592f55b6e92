/** The workbench's calls to the HTTP access route `/http/workbench/...` (session in a header, no cookie). */
export interface Answer<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

/** Where the workbench function is served (same origin locally; the HTTP access domain when deployed). */
const BASE =
  (window as unknown as { WXLEND_WORKBENCH_API?: string }).WXLEND_WORKBENCH_API ?? '/http/workbench';

let token: string | undefined = sessionStorage.getItem('wxlend-session') ?? undefined;

/** Keeps the session token for this tab only. */
export function setToken(value: string | undefined): void {
  token = value;
  if (value) sessionStorage.setItem('wxlend-session', value);
  else sessionStorage.removeItem('wxlend-session');
}

/** True when the tab holds a session. */
export function hasToken(): boolean {
  return token !== undefined;
}

/** POSTs to a workbench path; answers the function's `{ ok, data | error }`. */
export async function call<T>(path: string, body: Record<string, unknown> = {}): Promise<Answer<T>> {
  const response = await fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-wxlend-session': token } : {}) },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Answer<T>;
  if (SESSION_ENDED.has(answer.error?.code ?? '')) {
    setToken(undefined);
    signedOutListener?.();
  }
  return answer;
}

/** Refusals that mean the tab's session is over (sign in again). */
const SESSION_ENDED = new Set([
  'SESSION_REQUIRED',
  'SESSION_INVALID',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
  'OPERATOR_INACTIVE',
]);
let signedOutListener: (() => void) | undefined;

/** Called when a request finds the session over (the app shows the sign-in again). */
export function onSessionEnded(listener: () => void): void {
  signedOutListener = listener;
}

/** Runs an action of one workbench function's action route as the signed-in operator. */
export type ActionRoute = <T>(action: string, input?: Record<string, unknown>) => Promise<Answer<T>>;

/** Runs an `ops` action as the signed-in operator. */
export function ops<T>(action: string, input: Record<string, unknown> = {}): Promise<Answer<T>> {
  return call<T>('/ops', { action, ...input });
}

/** Runs a repayment action (function workbenchRepayment, `/workbench/repayment/ops`) as the signed-in operator. */
export function repaymentOps<T>(action: string, input: Record<string, unknown> = {}): Promise<Answer<T>> {
  return call<T>('/repayment/ops', { action, ...input });
}

/** Runs a rights-request action (function workbenchRights, `/workbench/rights/ops`) as the signed-in operator. */
export function rightsOps<T>(action: string, input: Record<string, unknown> = {}): Promise<Answer<T>> {
  return call<T>('/rights/ops', { action, ...input });
}

/** A refusal as one line: `CODE：message`. */
export function refusal(answer: Answer<unknown>): string {
  return `${answer.error?.code ?? 'ERROR'}：${answer.error?.message ?? '操作失败'}`;
}
