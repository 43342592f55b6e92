import type { Clock } from '../clock';
import type { WechatApiConfig } from './config';
import { postJson, WechatApiUnavailableError } from './errors';

/** A cached token is replaced this long before WeChat says it expires. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;

/**
 * The mini-program's access_token from `getStableAccessToken` (`POST /cgi-bin/stable_token`, normal
 * mode), cached per function instance until shortly before it expires. The stable token is the
 * documented choice for several servers at once: in normal mode every instance gets the same token
 * and none invalidates another's (getAccessToken would). Concurrent callers share one request.
 */
export class AccessTokenSource {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly config: WechatApiConfig,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** A valid token, from the cache when it has one. */
  async token(): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets `token` after WeChat refused it (40001/42001), so the next call fetches a fresh one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const answer = await postJson(
      this.fetchImpl,
      `${this.config.baseUrl}/cgi-bin/stable_token`,
      { grant_type: 'client_credential', appid: this.config.appId, secret: this.config.appSecret },
      this.config.timeoutMs,
    );
    const token = answer.access_token;
    const expiresIn = answer.expires_in;
    if (typeof token !== 'string' || !token || typeof expiresIn !== 'number')
      // errmsg names the field that is wrong (appid, appsecret), never the secret itself.
      throw new WechatApiUnavailableError(
        `stable_token refused (errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')})`,
        typeof answer.errcode === 'number' ? answer.errcode : undefined,
      );
    this.cached = {
      token,
      renewAt: this.clock.now() + Math.max(0, expiresIn * 1000 - RENEW_MARGIN_MS),
    };
    return token;
  }
}
