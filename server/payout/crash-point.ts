import type { CrashPoint } from './ports';

/** Thrown at an injected crash point: the invocation ends as if the process died there. */
export class InjectedCrash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`injected crash at ${point}`);
    this.name = 'InjectedCrash';
  }
}

/**
 * Crash injection for fault tests: when `WXLEND_CRASH_AT` (set per invocation by the local backend)
 * names this point, the worker exits (`WXLEND_CRASH_MODE=exit`), the whole local backend is killed
 * (`kill`: SIGKILL, as `kill -9` on the host), or the call throws. Absent in production.
 */
export function envCrashPoint(env: NodeJS.ProcessEnv = process.env): (point: CrashPoint) => void {
  return (point) => {
    if (env.WXLEND_CRASH_AT !== point) return;
    if (env.WXLEND_CRASH_MODE === 'kill') process.kill(process.pid, 'SIGKILL');
    if (env.WXLEND_CRASH_MODE === 'exit') process.exit(137);
    throw new InjectedCrash(point);
  };
}

/**
 * Slowness injection for fault tests: waits `WXLEND_NOTIFY_DELAY_MS` (set per invocation by the local
 * backend) so a notification handler outlives WeChat's 5 s wait and its own timeout. 0 in production.
 */
export async function envInjectedDelay(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ms = Number(env.WXLEND_NOTIFY_DELAY_MS ?? 0);
  if (Number.isFinite(ms) && ms > 0)
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 60_000)));
}
