import { TokenBucket } from '../wechatpay/token-bucket';
import type { TransferApi } from './ports';

/** The merchant's documented API limit: 100 requests per second. */
export const DEFAULT_WECHATPAY_QPS = 100;

/** Every WeChat Pay call of `api` waits for a token of `bucket` first (encryption is local: not limited). */
export function rateLimitedTransfer(api: TransferApi, bucket: TokenBucket): TransferApi {
  return {
    create: async (body) => {
      await bucket.take();
      return api.create(body);
    },
    query: async (outBillNo) => {
      await bucket.take();
      return api.query(outBillNo);
    },
    cancel: async (outBillNo) => {
      await bucket.take();
      return api.cancel(outBillNo);
    },
    encryptUserName: (plain) => api.encryptUserName(plain),
  };
}

/**
 * The requests per second allowed towards WeChat Pay: `WXLEND_WECHATPAY_QPS`, else the documented
 * 100 in production; against the local sandbox (loopback) unlimited unless configured.
 */
export function wechatPayQps(env: NodeJS.ProcessEnv): number | undefined {
  const configured = Number(env.WXLEND_WECHATPAY_QPS);
  if (env.WXLEND_WECHATPAY_QPS !== undefined && Number.isFinite(configured) && configured > 0)
    return configured;
  return /^http:\/\/127\.0\.0\.1:\d+$/.test(env.WECHATPAY_BASE_URL ?? '') ? undefined : DEFAULT_WECHATPAY_QPS;
}
