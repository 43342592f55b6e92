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

/** What every invocation of a function shares: everything but who triggered it and when. */
export type SharedEnvironmentParts = Omit<EnvironmentParts, 'trigger' | 'apiToken' | 'clockOffsetMs'>;

/** The identity variables only a trigger may set (and the timer marker the node-sdk reads). */
const TRIGGER_ONLY = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'TRIGGER_SRC'];

/**
 * The part of `process.env` that every invocation of a function shares (base, config, contributed
 * keys, SDK redirect) — big (PEM keys), so a worker receives it once and again only when it changes.
 * Identity variables from anywhere but the trigger are dropped: identity cannot be faked by configuration.
 */
export function sharedEnvironment(parts: SharedEnvironmentParts): Record<string, string> {
  const merged: Record<string, string> = Object.assign(
    {},
    parts.base,
    parts.config.envVariables,
    ...parts.contributed,
  );
  // Each function receives only the keys it declares (cloudbase/functions.json), as deployed.
  for (const key of parts.config.withheldEnv ?? []) delete merged[key];
  for (const key of TRIGGER_ONLY) delete merged[key];
  return Object.assign(merged, parts.sdk);
}

/**
 * The per-invocation variables: identity from the trigger, token, source, clock offset. Only the
 * identity fields the trigger supplied are present, and `WX_CONTEXT_KEYS` lists those (plus the hidden
 * token). They win over the shared part, as platform variables do in CloudBase.
 */
export function platformEnvironment(
  parts: Pick<EnvironmentParts, 'trigger' | 'apiToken' | 'clockOffsetMs'>,
): Record<string, string> {
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
  return platform;
}

/** The complete `process.env` of one invocation: the shared part overlaid by the platform part. */
export function invocationEnvironment(parts: EnvironmentParts): Record<string, string> {
  return { ...sharedEnvironment(parts), ...platformEnvironment(parts) };
}

/** Whether two environments hold the same variables (lets a worker keep the shared part it has). */
export function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
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
