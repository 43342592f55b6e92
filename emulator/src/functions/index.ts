import fs from 'node:fs';
import path from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import { sdkEnvironment } from '../sdk-env';
import type { EmulatorContext, EmulatorService, ServiceFactory } from '../service';
import { registerFunctionsAdminRoutes } from './admin-routes';
import { bundleFunctions, type BundleFailure } from './bundle';
import { registerClientGateway } from './client-gateway';
import { invokeFunctionAction } from './invoke-action';
import { DEFAULT_LIMITS, FunctionRuntime, type RuntimeLimits } from './runtime';
import { buildWorkerScript } from './worker/script';

export type { FunctionsApi, InvocationRecord, InvokeOptions, InvokeResult } from './api';
export { callFunctionAsClient, type ClientCall, type ClientCallOutcome } from './client-call';
export { driveCalls, type LoadFigures } from './load-driver';
export type { RuntimeLimits } from './runtime';

/** How often idle instances are looked for, in real ms. */
const REAP_INTERVAL_MS = 30_000;

/** Process variables an instance inherits from the emulator; everything else is set per invocation. */
const INHERITED_VARIABLES = ['PATH', 'HOME', 'TMPDIR', 'LANG'];

/** Whether function console lines are echoed on stdout: `CLOUDBASE_LOCAL_FUNCTION_LOGS`, else not in jest. */
function echoLogsByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CLOUDBASE_LOCAL_FUNCTION_LOGS !== undefined) return env.CLOUDBASE_LOCAL_FUNCTION_LOGS !== '0';
  return env.JEST_WORKER_ID === undefined;
}

/**
 * The local cloud-function service: bundles `config.functionsDir` at start (the same artifact
 * `npm run build` deploys), runs invocations in pooled worker instances, serves `functions.invokeFunction`
 * on the SDK wire, the mini-program gateway `POST /client/callFunction`, and loopback admin views.
 */
export class FunctionsService extends FunctionRuntime implements EmulatorService {
  readonly name = 'functions';
  private failures: BundleFailure[] = [];
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: EmulatorContext,
    limits: Partial<RuntimeLimits> = {},
  ) {
    const inherited = INHERITED_VARIABLES.flatMap((key) => {
      const value = process.env[key];
      return value === undefined ? [] : [[key, value] as const];
    });
    super(
      {
        envId: ctx.config.envId,
        region: sdkEnvironment('', ctx.config.envId).TENCENTCLOUD_REGION ?? 'ap-shanghai',
        baseEnv: {
          ...Object.fromEntries(inherited),
          // Deployed bundles keep a plain require("wx-server-sdk"); locally it resolves to our copy.
          NODE_PATH: path.join(ctx.config.projectRoot, 'node_modules'),
        },
        sdkEnv: () => sdkEnvironment(ctx.baseUrl(), ctx.config.envId),
        now: () => ctx.clock.now(),
        clockOffset: () => ctx.clock.offset(),
      },
      { ...DEFAULT_LIMITS, echoLogs: echoLogsByDefault(), ...limits },
    );
    ctx.admin.register('functions.invokeFunction', invokeFunctionAction(this));
    ctx.admin.observe((call) => this.meter(call));
    registerClientGateway(ctx.app, this, ctx.config.appId);
    registerFunctionsAdminRoutes(ctx.app, this, () => this.overview());
  }

  /** Bundles and loads every function, then starts reaping idle instances. */
  async start(): Promise<void> {
    await this.reload();
    this.reaper = setInterval(() => this.reapIdle(), REAP_INTERVAL_MS);
    this.reaper.unref();
  }

  /**
   * Re-bundles `functionsDir` and swaps the loaded functions (running instances are stopped). Functions
   * that fail to bundle are reported on stderr and in `/health`, and are not callable.
   */
  async reload(): Promise<BundleFailure[]> {
    const root = path.join(this.ctx.config.dataDir, 'functions');
    const outDir = path.join(root, 'bundles');
    fs.rmSync(outDir, { recursive: true, force: true });
    const [report, scriptPath] = await Promise.all([
      bundleFunctions({
        functionsDir: this.ctx.config.functionsDir,
        outDir,
        projectRoot: this.ctx.config.projectRoot,
      }),
      buildWorkerScript(path.join(root, 'runtime')),
    ]);
    // esbuild's service process holds ~250 MB after bundling and is not needed until the next reload.
    await stopEsbuild();
    await this.load(report.built, scriptPath);
    this.failures = report.failed;
    for (const failure of report.failed) console.error(`[functions] ${failure.message}`);
    return report.failed;
  }

  /** Stops reaping and every instance. */
  async stop(): Promise<void> {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
    await this.shutdown();
  }

  /** Forgets invocation history and module state (idle instances stop; busy ones after their call). */
  async reset(): Promise<void> {
    this.history.clear();
    this.retireInstances();
  }

  /** Functions, bundling failures, instances and invocation totals, for `/health`. */
  info(): Record<string, unknown> {
    return {
      functions: this.names(),
      failed: this.failures.map((failure) => failure.name),
      instances: this.poolStats(),
      invocations: this.totals(),
    };
  }

  /** Bundling failures of the last (re)load, with their messages. */
  bundleFailures(): BundleFailure[] {
    return [...this.failures];
  }

  private overview(): Record<string, unknown> {
    return {
      functions: this.names().map((name) => ({ name, config: this.config(name) })),
      failed: this.failures,
      instances: this.poolStats(),
      invocations: this.totals(),
    };
  }
}

/** Factory for services.ts, with the default limits. */
export const functionsService: ServiceFactory = (ctx) => new FunctionsService(ctx);

/** A factory with other limits (e.g. a benchmark fixing 4 instances per function). */
export function functionsServiceWith(limits: Partial<RuntimeLimits>): ServiceFactory {
  return (ctx) => new FunctionsService(ctx, limits);
}
