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
  if (response.status === 401 && path !== '/signIn') setToken(undefined);
  return answer;
}

/** Runs an `ops` action as the signed-in operator. */
export function ops<T>(action: string, input: Record<string, unknown> = {}): Promise<Answer<T>> {
  return call<T>('/ops', { action, ...input });
}
