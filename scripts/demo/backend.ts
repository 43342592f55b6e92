import cloud from 'wx-server-sdk';
import { configFromEnv } from '../../emulator/src/config';
import type { FunctionsService } from '../../emulator/src/functions';
import { EmulatorHub } from '../../emulator/src/hub';
import { sdkEnvironment } from '../../emulator/src/sdk-env';

/** The local backend the demo drives: one already running, or one it started itself. */
export interface DemoBackend {
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** True when the demo started the backend in this process (and stops it at the end). */
  startedHere: boolean;
  /** Stops a backend started here; leaves a running one alone. */
  stop(): Promise<void>;
}

/** The answer of `GET /health` we rely on. */
interface Health {
  status: string;
  envId: string;
}

/** `GET /health` of `baseUrl`, or null when nothing answers there. */
export async function probeHealth(baseUrl: string): Promise<Health | null> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) return null;
    const body = (await response.json()) as Health;
    return body.status === 'ok' ? body : null;
  } catch {
    return null;
  }
}

/**
 * Points this process's wx-server-sdk at `baseUrl`, as `npm run env` would, so console-side calls
 * (functions invoked with no OPENID, database writes as the console) go to the local backend.
 */
export function useConsoleSdk(baseUrl: string, envId: string): void {
  Object.assign(process.env, sdkEnvironment(baseUrl, envId));
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
}

/**
 * Uses the backend at CLOUDBASE_LOCAL_HOST:CLOUDBASE_LOCAL_PORT when it answers /health, otherwise
 * starts one in-process (configFromEnv, real-time ticking on). The in-process one lowers the
 * maker-checker amount so manual approvals show the two-operator path.
 */
export async function connectBackend(env: NodeJS.ProcessEnv = process.env): Promise<DemoBackend> {
  const config = configFromEnv(env);
  const url = `http://${config.host}:${config.port}`;
  const running = await probeHealth(url);
  if (running) {
    useConsoleSdk(url, running.envId);
    return { baseUrl: url, startedHere: false, stop: async () => undefined };
  }
  // Function log lines would bury the progress bar and table; they stay in
  // /_admin/functions/invocations (CLOUDBASE_LOCAL_FUNCTION_LOGS=1 prints them anyway).
  env.CLOUDBASE_LOCAL_FUNCTION_LOGS ??= '0';
  const hub = new EmulatorHub({ ...config, autoTick: true });
  await hub.start();
  hub.service<FunctionsService>('functions').contributeEnv(() => ({
    WXLEND_LOAN_CONFIG: JSON.stringify({ makerCheckerAboveFen: 10_000 }),
  }));
  useConsoleSdk(hub.baseUrl, config.envId);
  return { baseUrl: hub.baseUrl, startedHere: true, stop: () => hub.stop() };
}
