import path from 'node:path';
import { build } from 'esbuild';

/** The workbench web app folder (`workbench/`: index.html + src/main.tsx). */
export function workbenchRoot(projectRoot: string): string {
  return path.join(projectRoot, 'workbench');
}

/**
 * Bundles the workbench (React + Ant Design, everything inlined: no CDN) into one script. Used by
 * the local server at `/ops/` and by `npm run build` for static hosting.
 */
export async function bundleWorkbench(projectRoot: string, outfile?: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(workbenchRoot(projectRoot), 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: outfile !== undefined,
    ...(outfile ? { outfile } : {}),
    logLevel: 'silent',
  });
  return outfile ? outfile : (result.outputFiles?.[0]?.text ?? '');
}
