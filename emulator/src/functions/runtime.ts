import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AdminCall } from '../admin-router';
import type {
  FunctionConfig,
  FunctionsApi,
  InvocationIdentity,
  InvocationLog,
  InvocationQuery,
  InvocationRecord,
  InvokeOptions,
  InvokeResult,
} from './api';
import type { BundledFunction } from './bundle';
import { invocationContext, platformEnvironment, sameEnvironment, sharedEnvironment } from './environment';
import { FUNCTION_ERRORS, notFoundMessage } from './errors';
import { InvocationHistory, type InvocationCounts } from './history';
import { addCallCost, noCost } from './invocation-cost';
import { interpretOutcome } from './outcome';
import { FunctionLoadError, FunctionWorker } from './worker/function-worker';
import { WorkerPool, type PoolStats } from './worker/pool';

/** How the runtime sizes and paces its instances. */
export interface RuntimeLimits {
  /** Concurrent instances per function; further requests queue (default 8). */
  maxWorkersPerFunction: number;
  /** Idle instances are stopped after this long, in real ms (default 5 min). */
  idleTtlMs: number;
  /** Limit for loading a function module in a new instance, in real ms (default 30 s). */
  initTimeoutMs: number;
  /** Invocations remembered with their logs (default 500). */
  historySize: number;
  /** Print every function console line on the emulator's stdout as `[fn name] …`. */
  echoLogs: boolean;
}

/** Defaults for RuntimeLimits. */
export const DEFAULT_LIMITS: RuntimeLimits = {
  maxWorkersPerFunction: 8,
  idleTtlMs: 5 * 60_000,
  initTimeoutMs: 30_000,
  historySize: 500,
  echoLogs: false,
};

/** What the runtime reads from the emulator around it. */
export interface RuntimeHost {
  envId: string;
  region: string;
  /** Environment every instance starts from (PATH, NODE_PATH to the project's node_modules). */
  baseEnv: Record<string, string>;
  /** The SDK redirect variables (known once the backend listens). */
  sdkEnv: () => Record<string, string>;
  /** Emulator clock: epoch ms and offset from real time. */
  now: () => number;
  clockOffset: () => number;
}

/** A loaded function: its bundle, configuration and instances. */
interface LoadedFunction {
  name: string;
  bundlePath: string;
  config: FunctionConfig;
  pool: WorkerPool;
  /** The shared environment last built; kept (same object) while unchanged, so workers are not re-sent it. */
  shared?: Record<string, string>;
}

/** A running invocation: who it runs as (for callees and cloud calls) and its record (for metering). */
interface RunningInvocation {
  identity: InvocationIdentity;
  record: InvocationRecord;
}

/** The function runtime: runs invocations in pooled worker instances and remembers them. */
export class FunctionRuntime implements FunctionsApi {
  protected readonly history: InvocationHistory;
  private readonly functions = new Map<string, LoadedFunction>();
  private readonly running = new Map<string, RunningInvocation>();
  private readonly providers: Array<() => Record<string, string>> = [];
  private scriptPath = '';
  private nextWorkerId = 1;
  private markLoaded: () => void = () => undefined;
  private readonly firstLoad = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(
    protected readonly host: RuntimeHost,
    protected readonly limits: RuntimeLimits = DEFAULT_LIMITS,
  ) {
    this.history = new InvocationHistory(limits.historySize);
  }

  /** Resolves once the functions were loaded the first time (or the runtime stopped). */
  loaded(): Promise<void> {
    return this.firstLoad;
  }

  /** Replaces the loaded functions with freshly bundled ones (their old instances are stopped). */
  protected async load(bundles: BundledFunction[], scriptPath: string): Promise<void> {
    await this.shutdownPools();
    this.functions.clear();
    this.scriptPath = scriptPath;
    for (const bundle of bundles) {
      const bundlePath = path.join(bundle.dir, 'index.js');
      const pool = new WorkerPool(
        (firstInvocationId, env) => this.spawn(bundlePath, firstInvocationId, env),
        this.limits.maxWorkersPerFunction,
        this.limits.idleTtlMs,
      );
      this.functions.set(bundle.name, { name: bundle.name, bundlePath, config: bundle.config, pool });
    }
    this.markLoaded();
  }

  /** Runs one invocation in a warm or new instance and waits for it to end. */
  async invoke(options: InvokeOptions): Promise<InvokeResult> {
    const started = performance.now();
    const requestId = randomUUID();
    // A call arriving while the functions are still being bundled waits for them (CloudBase has no such gap).
    if (!this.functions.has(options.name)) await this.firstLoad;
    const fn = this.functions.get(options.name);
    if (!fn) {
      const error = { code: FUNCTION_ERRORS.notFound.code, message: notFoundMessage(options.name) };
      return { requestId, error, durationMs: 0, logs: [] };
    }
    const record = this.history.begin({
      requestId,
      name: fn.name,
      source: options.source,
      openid: options.openid,
      parentRequestId: options.parentRequestId,
      startedAt: this.host.now(),
      durationMs: 0,
      outcome: 'running',
      coldStart: false,
      logs: [],
      ...noCost(),
    });
    const apiToken = randomBytes(24).toString('hex');
    const identity: InvocationIdentity = {
      requestId,
      name: fn.name,
      source: options.source,
      openid: options.openid,
      appid: options.appid,
      unionid: options.unionid,
      clientIp: options.clientIp,
    };
    this.running.set(apiToken, { identity, record });
    let result: { result?: unknown; error?: { code: string; message: string } };
    try {
      result = await this.execute(fn, options, record, apiToken);
    } catch (error) {
      // A fault of the runtime itself still ends the invocation (never a record stuck in `running`).
      const message = `local runtime error: ${(error as Error).message}`;
      result = { error: { code: FUNCTION_ERRORS.executeFail.code, message } };
    } finally {
      this.running.delete(apiToken);
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    if (result.error) record.error = result.error;
    const outcome = !result.error
      ? 'ok'
      : result.error.code === FUNCTION_ERRORS.timeout.code
        ? 'timeout'
        : 'error';
    this.history.finish(record, outcome, durationMs);
    return { requestId, ...result, durationMs, logs: record.logs };
  }

  /** Names of the loaded functions. */
  names(): string[] {
    return [...this.functions.keys()];
  }

  /** A function's configuration; undefined when no such function. */
  config(name: string): FunctionConfig | undefined {
    return this.functions.get(name)?.config;
  }

  /** The running invocation that carries `apiToken`. */
  identify(apiToken: string | undefined): InvocationIdentity | undefined {
    return apiToken ? this.running.get(apiToken)?.identity : undefined;
  }

  /** Counts an answered SDK call against the running invocation whose token it carried. */
  meter(call: AdminCall): void {
    const running = call.apiToken ? this.running.get(call.apiToken) : undefined;
    if (running) addCallCost(running.record, call);
  }

  /** Adds variables every function sees; providers are read at each invocation. */
  contributeEnv(provider: () => Record<string, string>): void {
    this.providers.push(provider);
  }

  /**
   * The environment an invocation of `trigger.name` receives, for running its bundle outside the pool
   * (the runtime test runs bundles under the deployed Node release). Undefined for an unknown function.
   */
  environmentFor(trigger: InvokeOptions, apiToken = 'external-run'): Record<string, string> | undefined {
    const fn = this.functions.get(trigger.name);
    return fn ? this.startEnvironment(fn, trigger, apiToken) : undefined;
  }

  /** Recent invocations, newest first. */
  invocations(query?: InvocationQuery): InvocationRecord[] {
    return this.history.list(query);
  }

  /** Starts instances of `name` until `count` are warm and idle (benchmarks, first-call latency). */
  async prewarm(name: string, count: number): Promise<number> {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(notFoundMessage(name));
    const trigger: InvokeOptions = { name, event: {}, source: 'scf' };
    return fn.pool.prewarm(count, () => this.startEnvironment(fn, trigger, 'prewarm'), `prewarm-${name}`);
  }

  /** Instances per function, for `/health`. */
  poolStats(): Record<string, PoolStats> {
    return Object.fromEntries([...this.functions.values()].map((fn) => [fn.name, fn.pool.stats()]));
  }

  /** Invocation totals per function. */
  totals(): Record<string, InvocationCounts> {
    return this.history.totals();
  }

  /** Stops instances idle past the TTL. */
  protected reapIdle(): void {
    for (const fn of this.functions.values()) fn.pool.reapIdle();
  }

  /** Drops module state: idle instances stop now, busy ones after their invocation. */
  protected retireInstances(): void {
    for (const fn of this.functions.values()) fn.pool.retireAll();
  }

  /** Stops for good: calls still waiting for the first load are let through (to FUNCTION_NOT_FOUND), instances stop. */
  protected async shutdown(): Promise<void> {
    this.markLoaded();
    await this.shutdownPools();
  }

  /** Stops every instance. */
  protected async shutdownPools(): Promise<void> {
    await Promise.all([...this.functions.values()].map((fn) => fn.pool.shutdown()));
  }

  private async execute(
    fn: LoadedFunction,
    options: InvokeOptions,
    record: InvocationRecord,
    apiToken: string,
  ): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
    let event: unknown;
    try {
      // The event crosses CloudBase as JSON; so does ours (dates become strings, undefined disappears).
      event = JSON.parse(JSON.stringify(options.event ?? {})) as unknown;
    } catch (error) {
      return {
        error: { code: 'FUNCTION_PARAM_INVALID', message: `event is not JSON: ${(error as Error).message}` },
      };
    }
    let lease;
    try {
      lease = await fn.pool.acquire(record.requestId, () => this.startEnvironment(fn, options, apiToken));
    } catch (error) {
      // The module failed to load in a new instance (or the runtime is stopping).
      if (error instanceof FunctionLoadError && error.thrown.stack)
        this.log(record, 'error', error.thrown.stack);
      return { error: { code: FUNCTION_ERRORS.executeFail.code, message: (error as Error).message } };
    }
    record.coldStart = lease.cold;
    record.workerId = lease.worker.id;
    const context = invocationContext({
      requestId: record.requestId,
      name: fn.name,
      envId: this.host.envId,
      timeoutSeconds: fn.config.timeout,
      region: this.host.region,
    });
    // Built now, once: the clock or contributed variables may have changed while the request queued.
    const outcome = await lease.worker.run({
      invocationId: record.requestId,
      shared: this.sharedEnvironment(fn),
      platform: this.platformEnvironment(options, apiToken),
      event,
      context,
      timeoutMs: fn.config.timeout * 1000,
    });
    if (outcome.kind === 'ok' || outcome.kind === 'threw') fn.pool.release(lease.worker);
    else fn.pool.discard(lease.worker);
    const { stack, ...answer } = interpretOutcome(outcome, fn.config.timeout);
    if (stack) this.log(record, 'error', stack);
    return answer;
  }

  /** The complete environment a new instance loads the module with. */
  private startEnvironment(
    fn: LoadedFunction,
    trigger: InvokeOptions,
    apiToken: string,
  ): Record<string, string> {
    return { ...this.sharedEnvironment(fn), ...this.platformEnvironment(trigger, apiToken) };
  }

  /** The function's shared variables, as the same object as last time when nothing changed. */
  private sharedEnvironment(fn: LoadedFunction): Record<string, string> {
    const shared = sharedEnvironment({
      base: this.host.baseEnv,
      config: fn.config,
      contributed: this.providers.map((provide) => provide()),
      sdk: this.host.sdkEnv(),
    });
    if (!fn.shared || !sameEnvironment(fn.shared, shared)) fn.shared = shared;
    return fn.shared;
  }

  private platformEnvironment(trigger: InvokeOptions, apiToken: string): Record<string, string> {
    return platformEnvironment({ trigger, apiToken, clockOffsetMs: this.host.clockOffset() });
  }

  private spawn(
    bundlePath: string,
    firstInvocationId: string,
    env: Record<string, string>,
  ): Promise<FunctionWorker> {
    return FunctionWorker.start({
      id: this.nextWorkerId++,
      scriptPath: this.scriptPath,
      bundlePath,
      env,
      firstInvocationId,
      initTimeoutMs: this.limits.initTimeoutMs,
      onLog: (invocationId, log) => this.appendLog(invocationId, log),
    });
  }

  private appendLog(invocationId: string, log: InvocationLog): void {
    this.history.appendLog(invocationId, log);
    if (this.limits.echoLogs) {
      const name = this.history.get(invocationId)?.name ?? '?';
      console.log(`[fn ${name}] ${log.level}: ${log.message}`);
    }
  }

  private log(record: InvocationRecord, level: InvocationLog['level'], message: string): void {
    this.appendLog(record.requestId, { level, message, at: this.host.now() });
  }
}
