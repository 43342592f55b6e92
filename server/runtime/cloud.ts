import cloud from 'wx-server-sdk';
import { callerFromContext, type Caller, type RawWxContext } from './caller';

let initialised = false;

/** The wx-server-sdk, initialised once per instance against the current environment. */
export function getCloud(): typeof cloud {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
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
