import type { Clock } from '../clock';
import { AccessTokenSource } from './access-token';
import type { WechatApiConfig } from './config';
import { postJson, type WechatApiAnswer } from './errors';

/** errcodes meaning the access_token itself was refused: invalid (40001, 40014) or expired (42001). */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);

/** Calls WeChat's HTTPS server APIs with `?access_token=`, for the APIs that have no cloud call. */
export class WechatApiClient {
  private readonly tokens: AccessTokenSource;

  constructor(
    private readonly config: WechatApiConfig,
    clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.tokens = new AccessTokenSource(config, clock, fetchImpl);
  }

  /**
   * POSTs `body` to `path` and answers WeChat's JSON (the caller reads `errcode`). A refused token is
   * dropped and the call made once more with a fresh one; transport failures throw WechatApiUnavailableError.
   */
  async post(path: string, body: Record<string, unknown>): Promise<WechatApiAnswer> {
    const call = async (token: string): Promise<WechatApiAnswer> =>
      postJson(
        this.fetchImpl,
        `${this.config.baseUrl}${path}?access_token=${encodeURIComponent(token)}`,
        body,
        this.config.timeoutMs,
      );
    const token = await this.tokens.token();
    const answer = await call(token);
    if (typeof answer.errcode !== 'number' || !TOKEN_REFUSED.has(answer.errcode)) return answer;
    this.tokens.invalidate(token);
    return call(await this.tokens.token());
  }
}
