import path from 'node:path';
import { build } from 'esbuild';

/**
 * Compiles the worker entry (worker/main.ts) to one plain CommonJS file, so instances start as bare
 * Node threads — no TypeScript loader inside them, as in the cloud. Answers the written path.
 */
export async function buildWorkerScript(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'function-worker.js');
  await build({
    entryPoints: [path.join(__dirname, 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
  return outfile;
}
