import type { InvocationCost } from './invocation-cost';

/** One log line an invocation printed. */
export interface InvocationLog {
  level: 'log' | 'info' | 'warn' | 'error';
  message: string;
  at: number;
}

/** Who and what triggered an invocation; becomes the worker's WX_* / TCB_SOURCE environment. */
export interface InvokeOptions {
  /** Function name as called (folder name under cloudfunctions/). */
  name: string;
  /** The event object handed to `main(event, context)`. */
  event: unknown;
  /** `wx_client`, `scf`, `wx_http`, `wx_trigger`, `wx_paycallback`, … (callees get `caller,scf`). */
  source: string;
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
  /** Request id of the invocation that made this call (`cloud.callFunction` chains), for tracing. */
  parentRequestId?: string;
}

/** How an invocation ended. `error` follows CloudBase's codes (e.g. a timeout). */
export interface InvokeResult {
  requestId: string;
  /** The function's JSON-safe return value when it resolved. */
  result?: unknown;
  /** Set when the function threw, timed out or could not be loaded. */
  error?: { code: string; message: string };
  durationMs: number;
  logs: InvocationLog[];
}

/** The invocation a wxCloudApiToken belongs to, so backend services know which function called. */
export interface InvocationIdentity {
  requestId: string;
  name: string;
  source: string;
  openid?: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
}

/** How a finished (or still running) invocation is listed by `invocations()` and the admin route. */
export type InvocationOutcome = 'running' | 'ok' | 'error' | 'timeout';

/**
 * One invocation as the runtime remembers it: who, when, how long, how it ended, what it printed and
 * what it cost (its SDK calls, transactions, conflicts and database time; called functions count apart).
 */
export interface InvocationRecord extends InvocationCost {
  requestId: string;
  name: string;
  source: string;
  openid?: string;
  /** Request id of the calling invocation, when called by another function. */
  parentRequestId?: string;
  /** Emulator-clock epoch ms when the invocation was accepted. */
  startedAt: number;
  /** Real milliseconds from acceptance to the end (queueing and cold start included). */
  durationMs: number;
  outcome: InvocationOutcome;
  error?: { code: string; message: string };
  /** True when a new worker had to be started (and the function loaded) for this invocation. */
  coldStart: boolean;
  /** The worker that ran it: equal ids mean the same warm instance. */
  workerId?: number;
  logs: InvocationLog[];
}

/** Which invocations `invocations()` lists. */
export interface InvocationQuery {
  /** Only this function's invocations. */
  name?: string;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

/** A function's `config.json` as the runtime reads it. */
export interface FunctionConfig {
  /** Seconds; default 3 as in CloudBase. */
  timeout: number;
  /** Extra environment variables. */
  envVariables: Record<string, string>;
  /** Openapi calls this function may make (`permissions.openapi`). */
  openapi: string[];
  /** Timer triggers (`triggers` with `type: "timer"`). */
  triggers: Array<{ name: string; type: string; config: string }>;
  /** Catalogued variables this function does not declare: withheld from what services contribute. */
  withheldEnv?: string[];
}

/** What the functions service offers other services (pay callbacks, timers, HTTP access, console). */
export interface FunctionsApi {
  /** Runs one invocation in a warm or new worker and waits for it to end. */
  invoke(options: InvokeOptions): Promise<InvokeResult>;
  /** Names of the loaded functions. */
  names(): string[];
  /** A function's configuration; undefined when no such function. */
  config(name: string): FunctionConfig | undefined;
  /** Resolves the invocation that carries `apiToken`, while it runs. */
  identify(apiToken: string | undefined): InvocationIdentity | undefined;
  /** Resolves once the functions are bundled and loaded (calls before that wait for it). */
  loaded(): Promise<void>;
  /** Adds variables every function sees (local keys, sandbox URLs); read at each invocation. */
  contributeEnv(provider: () => Record<string, string>): void;
  /** Recent invocations, newest first (bounded list; logs included). */
  invocations(query?: InvocationQuery): InvocationRecord[];
}
