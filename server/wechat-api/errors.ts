/** A WeChat HTTPS API that could not be used: no answer, an unreadable one, or a refused credential. */
export class WechatApiUnavailableError extends Error {
  constructor(
    /** What went wrong, without parameters or secrets. */
    detail: string,
    /** WeChat's errcode when it answered one. */
    readonly errcode?: number,
  ) {
    super(`WeChat API unavailable: ${detail}`);
    this.name = 'WechatApiUnavailableError';
  }
}

/** The JSON WeChat's HTTPS APIs answer: `errcode` 0 (or absent) on success, plus the API's fields. */
export type WechatApiAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** POSTs JSON and reads the JSON answer; any transport failure becomes WechatApiUnavailableError. */
export async function postJson(
  fetchImpl: typeof fetch,
  url: string,
  body: unknown,
  timeoutMs: number,
): Promise<WechatApiAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new WechatApiUnavailableError(timedOut ? `no answer within ${timeoutMs} ms` : 'request failed');
  }
  if (response.status !== 200) throw new WechatApiUnavailableError(`HTTP ${response.status}`);
  try {
    const parsed = (await response.json()) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as WechatApiAnswer;
  } catch {
    // fall through
  }
  throw new WechatApiUnavailableError('answer is not JSON');
}
