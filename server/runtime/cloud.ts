import cloud from 'wx-server-sdk';
import { callerFromContext, type Caller, type RawWxContext } from './caller';

let initialised = false;

/**
 * The SDK's options: the current environment, and keep-alive connections to the database API. Inside a
 * cloud function (TENCENTCLOUD_RUNENV=SCF) @cloudbase/node-sdk opens a new connection per call unless
 * `keepalive` is set (its makeReqOpts); `cloud.init` passes unknown options through to it, and the SDK
 * retries a call once when a reused connection was reset (an instance thawed after idling).
 */
const INIT_OPTIONS = {
  env: cloud.DYNAMIC_CURRENT_ENV as unknown as string,
  keepalive: true,
} as Parameters<typeof cloud.init>[0];

/** The wx-server-sdk, initialised once per instance against the current environment. */
export function getCloud(): typeof cloud {
  if (!initialised) {
    cloud.init(INIT_OPTIONS);
    initialised = true;
  }
  return cloud;
}

/** The database handle of the current environment. */
export function getDb(): ReturnType<typeof cloud.database> {
  return getCloud().database();
}

/** Who is calling this invocation, from the platform context only. */
export function currentCaller(): Caller {
  return callerFromContext(getCloud().getWXContext() as RawWxContext);
}
