import type { ApiResult } from '../../typings/api';

/** A failed HTTP exchange with the local backend. */
export class DemoHttpError extends Error {}

/** POSTs JSON to the backend and returns the decoded answer; throws on a non-2xx status. */
export async function postJson<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new DemoHttpError(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Attempts per call when the backend answers CONCURRENT_UPDATE (its documented "retry" code). */
const CONFLICT_ATTEMPTS = 10;

/**
 * Calls a cloud function through the client gateway as the mini-program user `openid`. A
 * CONCURRENT_UPDATE answer (the transaction kept conflicting and nothing was written) is retried
 * after a short growing pause, as docs/api.md tells clients to.
 */
export async function callAs<T>(
  baseUrl: string,
  openid: string,
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  return retryConflicts(() => callOnce<T>(baseUrl, openid, name, data));
}

/** Repeats `call` while it answers CONCURRENT_UPDATE, pausing a little longer (with jitter) each time. */
export async function retryConflicts<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  for (let attempt = 1; ; attempt += 1) {
    const result = await call();
    if (result.ok || result.error.code !== 'CONCURRENT_UPDATE' || attempt >= CONFLICT_ATTEMPTS) return result;
    await pause(50 * attempt + Math.floor(Math.random() * 100));
  }
}

/** One client-gateway call. */
async function callOnce<T>(
  baseUrl: string,
  openid: string,
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  const response = await fetch(`${baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid, 'x-wx-clientip': '203.0.113.7' },
    body: JSON.stringify({ name, data }),
  });
  const body = (await response.json()) as { result?: ApiResult<T>; errMsg?: string };
  if (!response.ok || !body.result)
    throw new DemoHttpError(`callFunction ${name} answered ${response.status}: ${body.errMsg ?? ''}`);
  return body.result;
}

/** Unwraps an ApiResult, turning `{ok:false}` into an error that names the step and the code. */
export function unwrap<T>(step: string, result: ApiResult<T>): T {
  if (!result.ok) throw new DemoHttpError(`${step}: ${result.error.code}`);
  return result.data;
}

/** Moves emulator time forward (timers, notifications and sandbox settlement follow it). */
export async function advanceClock(baseUrl: string, ms: number): Promise<void> {
  await postJson(baseUrl, '/_admin/clock', { advanceMs: ms });
}

/** Waits real time (lets background work started by a clock move finish). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
