import { retryingOnConflict } from '../storage/conflict-retry';
import type { DocStore } from '../storage/doc-store';
import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import { systemClock, type Clock } from '../clock';
import { loanProductConfig } from '../loan/config';
import { envCrashPoint } from '../payout/crash-point';
import { getDb } from '../runtime/cloud';
import { sdkCollectionApi, type CollectionApi } from './cloudpay-port';
import { repaymentConfigFromEnv } from './config';
import type { RepaymentDeps } from './deps';

/** Builds the repayment deps from the environment (configuration validated: ≤ 24 % comprehensive cost). */
export function repaymentDepsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { clock?: Clock; docs?: DocStore; pay?: CollectionApi } = {},
): RepaymentDeps {
  const crash = envCrashPoint(env) as (point: string) => void;
  return {
    docs: overrides.docs ?? retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    pay: overrides.pay ?? sdkCollectionApi,
    clock: overrides.clock ?? systemClock,
    config: repaymentConfigFromEnv(
      loanProductConfig(env).aprBps,
      env,
      // The collecting merchant: its own setting, else the merchant that pays out.
      env.WXLEND_COLLECTION_SUB_MCH_ID ?? env.WECHATPAY_MCH_ID,
    ),
    crashPoint: crash,
  };
}
