import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** A started CPU profile of this thread; `stop` writes it as `<name>.cpuprofile` (open in Chrome DevTools). */
export interface RunningProfile {
  stop(): Promise<void>;
}

/**
 * Profiles this thread while a measured phase runs, when `BENCH_CPU_PROF_DIR` names a folder (else
 * does nothing): unlike `node --cpu-prof`, the profile holds only the phase, not start-up and preparation.
 */
export async function profilePhase(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningProfile> {
  const dir = env.BENCH_CPU_PROF_DIR;
  if (!dir) return { stop: () => Promise.resolve() };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
