import type { FunctionConfig, InvokeOptions } from './api';
import { FUNCTION_RUNTIME } from './node-runtime';

/** Runtime the local instances stand in for (what CloudBase reports in `SCF_RUNTIME`). */
export const SCF_RUNTIME = FUNCTION_RUNTIME;

/** Memory setting reported to functions (`context.memory_limit_in_mb`). */
export const FUNCTION_MEMORY_MB = 256;

/** Everything one invocation's environment is made of, lowest precedence first. */
export interface EnvironmentParts {
  /** Process basics every instance needs (PATH, NODE_PATH pointing at the project's node_modules). */
  base: Record<string, string>;
  /** The function's own `config.json` envVariables. */
  config: FunctionConfig;
  /** What other services contribute (local keys, sandbox URLs); they override config values. */
  contributed: Array<Record<string, string>>;
  /** The SDK redirect (`sdkEnvironment`): points wx-server-sdk at this backend. */
  sdk: Record<string, string>;
  /** Who and what triggered the invocation. */
  trigger: InvokeOptions;
  /** Token identifying this invocation in the SDK calls it makes (`wxCloudApiToken`). */
  apiToken: string;
  /** Emulator clock offset, read by server/clock.ts. */
  clockOffsetMs: number;
}

/**
 * The complete `process.env` of one invocation. Platform variables win over anything a function or a
 * service sets, as in CloudBase: identity cannot be faked through configuration. Only the identity
 * fields the trigger supplied are present, and `WX_CONTEXT_KEYS` lists those (plus the hidden token).
 */
export function invocationEnvironment(parts: EnvironmentParts): Record<string, string> {
  const { trigger } = parts;
  const identity: Array<[string, string | undefined]> = [
    ['WX_OPENID', trigger.openid],
    ['WX_APPID', trigger.appid],
    ['WX_UNIONID', trigger.unionid],
    ['WX_CLIENTIP', trigger.clientIp],
  ];
  const present = identity.filter(
    (pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '',
  );
  const platform: Record<string, string> = {
    ...Object.fromEntries(present),
    // The token is listed (the SDK hides it) so the list is never empty: getWXContext() answers {} —
    // without ENV and SOURCE — when WX_CONTEXT_KEYS is empty.
    WX_CONTEXT_KEYS: [...present.map(([key]) => key), 'WX_API_TOKEN'].join(','),
    WX_API_TOKEN: parts.apiToken,
    TCB_SOURCE: trigger.source,
    SCF_FUNCTIONNAME: trigger.name,
    SCF_FUNCTIONVERSION: '$LATEST',
    SCF_RUNTIME,
    WXLEND_CLOCK_OFFSET_MS: String(parts.clockOffsetMs),
  };
  // Timer invocations carry TRIGGER_SRC=timer; the node-sdk then prefers the trigger token variable.
  if (trigger.source.split(',')[0] === 'wx_trigger') platform.TRIGGER_SRC = 'timer';
  const merged: Record<string, string> = Object.assign(
    {},
    parts.base,
    parts.config.envVariables,
    ...parts.contributed,
  );
  // Each function receives only the keys it declares (cloudbase/functions.json), as deployed.
  for (const key of parts.config.withheldEnv ?? []) delete merged[key];
  // Identity comes only from the trigger: a variable of that name from anywhere else is dropped.
  for (const key of [...identity.map(([name]) => name), 'TRIGGER_SRC']) delete merged[key];
  return { ...merged, ...parts.sdk, ...platform };
}

/** The `context` argument of `main(event, context)`, with the fields SCF's Node runtime passes. */
export function invocationContext(input: {
  requestId: string;
  name: string;
  envId: string;
  timeoutSeconds: number;
  region: string;
}): Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    memory_limit_in_mb: FUNCTION_MEMORY_MB,
    time_limit_in_ms: input.timeoutSeconds * 1000,
    request_id: input.requestId,
    function_name: input.name,
    function_version: '$LATEST',
    namespace: input.envId,
    tencentcloud_region: input.region,
  };
}
