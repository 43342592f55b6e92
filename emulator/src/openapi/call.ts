import type { InvocationIdentity } from '../functions/api';
import type { OpenApiPair } from './protobuf';
import type { OpenapiState } from './state';

/** One decoded openapi call as a fake API sees it. */
export interface OpenApiCall {
  /** e.g. `subscribeMessage.send`. */
  api: string;
  /** JSON parameters, snake_case as the SDK sends them. */
  params: Record<string, unknown>;
  /** Media parameters (`{contentType, value: Buffer}` in the SDK call), by key. */
  media: Map<string, OpenApiPair>;
  /** The invocation that made the call. */
  caller: InvocationIdentity | undefined;
  /** Emulator time of the call. */
  now: number;
  /** The mini-program appid the emulator plays. */
  appId: string;
  state: OpenapiState;
}

/** A fake WeChat API: returns the success body (without errcode/errmsg) or throws WxApiError. */
export type OpenApiHandler = (call: OpenApiCall) => Record<string, unknown>;

/** A string parameter, or undefined when absent or not a string. */
export function stringParam(call: OpenApiCall, key: string): string | undefined {
  const value = call.params[key];
  return typeof value === 'string' ? value : undefined;
}
