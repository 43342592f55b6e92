import path from 'node:path';

/** Where and how the local backend runs; every field has a default so `npm start` needs nothing. */
export interface EmulatorConfig {
  /** Interface to listen on; the admin surfaces assume loopback. */
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Folder holding the SQLite file, generated keys and built functions. */
  dataDir: string;
  /** Repository root. */
  projectRoot: string;
  /** Folder with one sub-folder per cloud function (`index.ts` + `config.json`). */
  functionsDir: string;
  /** The project's single declaration of collections, indexes and permissions. */
  collectionsFile: string;
  /** Cloud storage permissions by path prefix (`cloudbase/storage.json`). */
  storageRulesFile: string;
  /** CloudBase environment id the functions see as `ENV`. */
  envId: string;
  /** Mini-program appid the functions see as `APPID`. */
  appId: string;
  /** Whether timers and retry schedules tick on their own in real time (off in most tests). */
  autoTick: boolean;
  /** Milliseconds added to every SDK call (`POST /admin`) before it is served: a production-like round trip. */
  sdkLatencyMs: number;
}

/** `CLOUDBASE_LOCAL_LATENCY_MS` as a non-negative number of milliseconds (0 when unset). */
function latencyFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`CLOUDBASE_LOCAL_LATENCY_MS must be a number of milliseconds ≥ 0, not "${raw}"`);
  return ms;
}

/** Reads the configuration from environment variables, with the documented defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorConfig {
  const projectRoot = path.resolve(__dirname, '..', '..');
  return {
    host: env.CLOUDBASE_LOCAL_HOST ?? '127.0.0.1',
    port: Number(env.CLOUDBASE_LOCAL_PORT ?? 9670),
    dataDir: path.resolve(env.CLOUDBASE_LOCAL_DATA ?? path.join(projectRoot, '.cloudbase-local')),
    projectRoot,
    functionsDir: path.resolve(env.CLOUDBASE_LOCAL_FUNCTIONS ?? path.join(projectRoot, 'cloudfunctions')),
    collectionsFile: path.join(projectRoot, 'cloudbase', 'collections.json'),
    storageRulesFile: path.join(projectRoot, 'cloudbase', 'storage.json'),
    envId: env.CLOUDBASE_LOCAL_ENV ?? 'wxlend-local',
    appId: env.CLOUDBASE_LOCAL_APPID ?? 'wx0000000000000001',
    autoTick: env.CLOUDBASE_LOCAL_AUTOTICK !== '0',
    sdkLatencyMs: latencyFromEnv(env.CLOUDBASE_LOCAL_LATENCY_MS),
  };
}
