import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import type { DocStore } from '../storage/doc-store';
import { systemClock, type Clock } from '../clock';
import { limitsInForce, limitsPolicy } from '../limits/policy';
import { loadMerchantProfile } from '../merchant/profile';
import { getDb } from '../runtime/cloud';
import { WechatPayKeyring, WechatPayTransferClient, wechatPayConfigFromEnv } from '../wechatpay';
import { envCrashPoint } from './crash-point';
import { DocPayoutStore } from './doc-payout-store';
import type { NotificationKeys } from './notify';
import { identityPayeeNames } from './payee-names';
import { payoutSettingsFromEnv } from './payout-config';
import type { PayeeNames, PayoutDeps, TransferApi } from './ports';
import { rateLimitedTransfer, wechatPayQps } from './rate-limited-transfer';
import { TokenBucket } from '../wechatpay/token-bucket';
import { WechatPayTransferApi } from './wechatpay-transfer';

/** What a payout cloud function runs with: the deps plus the notification keys and raw store. */
export interface PayoutRuntime {
  deps: PayoutDeps;
  keys: NotificationKeys;
  docs: DocStore;
}

/**
 * The local backend serves the HTTP access route on its own origin; when no notify URL is
 * configured there, it is derived from the sandbox origin. In the cloud it must be configured.
 */
function defaultNotifyUrl(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.WECHATPAY_BASE_URL ?? '';
  return /^http:\/\/127\.0\.0\.1:\d+$/.test(base) ? `${base}/http/payNotify` : undefined;
}

/** One bucket per instance and rate: every payout runtime of the instance shares it. */
const buckets = new Map<number, TokenBucket>();

/** The transfer API behind the instance's token bucket when a rate applies. */
function limitedTransfer(api: TransferApi, env: NodeJS.ProcessEnv): TransferApi {
  const qps = wechatPayQps(env);
  if (qps === undefined) return api;
  let bucket = buckets.get(qps);
  if (!bucket) buckets.set(qps, (bucket = new TokenBucket(qps)));
  return rateLimitedTransfer(api, bucket);
}

/** Builds the payout runtime from the environment (validated: a bad profile fails with a clear message). */
export function payoutRuntimeFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { clock?: Clock; names?: PayeeNames; docs?: DocStore } = {},
): PayoutRuntime {
  const clock = overrides.clock ?? systemClock;
  const config = wechatPayConfigFromEnv(env);
  const notifyUrl = env.WXLEND_PAYOUT_NOTIFY_URL ?? defaultNotifyUrl(env);
  const profile = loadMerchantProfile(notifyUrl ? { ...env, WXLEND_PAYOUT_NOTIFY_URL: notifyUrl } : env);
  const client = new WechatPayTransferClient(config, { clock });
  const docs = overrides.docs ?? new SdkDocStore(getDb() as unknown as SdkDatabase);
  const deps: PayoutDeps = {
    store: new DocPayoutStore(docs, clock),
    transfer: limitedTransfer(new WechatPayTransferApi(client, config), env),
    names: overrides.names ?? identityPayeeNames(docs, env),
    clock,
    profile,
    limits: limitsInForce(limitsPolicy(env), profile.qualification),
    settings: payoutSettingsFromEnv(env),
    crashPoint: envCrashPoint(env),
  };
  return {
    deps,
    docs,
    keys: {
      keyring: new WechatPayKeyring(config.verificationKeys),
      apiV3Key: config.apiV3Key,
      mchId: config.mchId,
    },
  };
}
