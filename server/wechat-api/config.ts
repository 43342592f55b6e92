/** How a function reaches WeChat's HTTPS server APIs (those with no cloud call). */
export interface WechatApiConfig {
  /** API origin without trailing slash (`WECHAT_API_BASE_URL`, default https://api.weixin.qq.com). */
  baseUrl: string;
  /** The mini-program's AppID (`WECHAT_APP_ID`). */
  appId: string;
  /** Its AppSecret (`WECHAT_APP_SECRET`): a secret, never logged or answered. */
  appSecret: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
}

/** The configuration is unusable: the calls that need it must not start. */
export class WechatApiConfigError extends Error {
  constructor(message: string) {
    super(`WeChat API configuration: ${message}`);
    this.name = 'WechatApiConfigError';
  }
}

/** Reads `WECHAT_APP_ID`, `WECHAT_APP_SECRET` and the optional `WECHAT_API_BASE_URL`; names what is missing. */
export function wechatApiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WechatApiConfig {
  const appId = env.WECHAT_APP_ID?.trim();
  const appSecret = env.WECHAT_APP_SECRET?.trim();
  if (!appId) throw new WechatApiConfigError('WECHAT_APP_ID is not set');
  if (!/^wx[0-9a-zA-Z]{16}$/.test(appId))
    throw new WechatApiConfigError('WECHAT_APP_ID must be the mini-program AppID (wx + 16 characters)');
  if (!appSecret) throw new WechatApiConfigError('WECHAT_APP_SECRET is not set');
  return {
    baseUrl: (env.WECHAT_API_BASE_URL?.trim() || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
    appId,
    appSecret,
    timeoutMs: 8000,
  };
}
