import type { InvocationIdentity } from '../functions/api';
import type { PayState } from './state';

/** What every cloudPay API handler is given. */
export interface PayApiContext {
  state: PayState;
  now: number;
  /** Mini-program appid (`sub_appid`). */
  appId: string;
  /** CloudBase environment the callbacks must name in `env_id`. */
  envId: string;
  /** The invocation that made the call. */
  caller: InvocationIdentity | undefined;
  /** Schedules a refund to finish (and its callback) after the processing delay. */
  scheduleRefundCompletion(subMchId: string, outRefundNo: string): void;
}

/** A cloudPay API: snake_case JSON in, v2-style snake_case JSON out. */
export type PayApiHandler = (params: Record<string, unknown>, ctx: PayApiContext) => Record<string, unknown>;
