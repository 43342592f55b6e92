import { randomBytes } from 'node:crypto';

/** How long an access_token lives (WeChat: 7200 s). */
export const ACCESS_TOKEN_TTL_MS = 7200 * 1000;
/** In normal mode `stable_token` hands out a new token only in the last 5 minutes of the current one. */
const RENEW_AHEAD_MS = 5 * 60 * 1000;

/** The `{errcode, errmsg}` WeChat answers a refused HTTPS call with (always HTTP 200). */
export type WxErrorBody = Record<string, unknown> & {
  errcode: number;
  errmsg: string;
};

/** What `POST /cgi-bin/stable_token` answers on success. */
export type StableTokenBody = Record<string, unknown> & {
  access_token: string;
  expires_in: number;
};

/**
 * The mini-program's server-side credentials as WeChat keeps them: one AppID with its AppSecret,
 * the tokens issued for it (`getStableAccessToken`, normal mode), and the check every HTTPS API runs
 * on `?access_token=`. Old tokens stay valid until they expire, as WeChat's do.
 */
export class AccessTokens {
  private readonly expiry = new Map<string, number>();
  private current: string | undefined;

  constructor(
    /** The AppID the emulator plays. */
    readonly appId: string,
    /** Its AppSecret (generated per start; handed to functions as WECHAT_APP_SECRET). */
    readonly appSecret: string,
  ) {}

  /** `POST /cgi-bin/stable_token`: a token for the right AppID and AppSecret, or WeChat's refusal. */
  issue(body: Record<string, unknown>, now: number): StableTokenBody | WxErrorBody {
    if (body.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
    if (body.appid !== this.appId) return { errcode: 40013, errmsg: 'invalid appid' };
    if (body.secret !== this.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const currentExpiry = this.current === undefined ? undefined : this.expiry.get(this.current);
    if (this.current === undefined || currentExpiry === undefined || currentExpiry - now <= RENEW_AHEAD_MS) {
      this.current = randomBytes(48).toString('base64url');
      this.expiry.set(this.current, now + ACCESS_TOKEN_TTL_MS);
    }
    const expiresAt = this.expiry.get(this.current) ?? now;
    return { access_token: this.current, expires_in: Math.floor((expiresAt - now) / 1000) };
  }

  /** The check of `?access_token=`: undefined when valid, else WeChat's errcode (41001, 40001, 42001). */
  refusal(token: string | undefined, now: number): WxErrorBody | undefined {
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    const expiresAt = this.expiry.get(token);
    if (expiresAt === undefined)
      return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid' };
    if (now >= expiresAt) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  /** Invalidates every token issued so far (tests: a function's cached token goes stale). */
  revokeAll(): number {
    const count = this.expiry.size;
    this.expiry.clear();
    this.current = undefined;
    return count;
  }
}
