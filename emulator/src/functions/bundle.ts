import fs from 'node:fs';
import path from 'node:path';
import { build, version as esbuildVersion, type BuildOptions, type Message, type Plugin } from 'esbuild';
import type { FunctionConfig } from './api';
import { BundleCache } from './bundle-cache';
import { readFunctionConfig } from './config-file';
import { applyDeclarations } from './declared-config';
import { discoverFunctions, type FunctionSource } from './discover';
import { FUNCTION_NODE_TARGET } from './node-runtime';

/** The one package a deployed function may need at run time; CloudBase installs it in the cloud. */
export const SDK_PACKAGE = 'wx-server-sdk';

/** Where to read sources and where to write the deployable folders. */
export interface BundleOptions {
  /** Folder with one `<name>/index.ts` (+ `config.json`) per function. */
  functionsDir: string;
  /** Folder receiving one self-contained `<name>/` per function (replaced folder by folder). */
  outDir: string;
  /** Repository root: resolves imports and holds the package.json pinning the SDK version. */
  projectRoot: string;
  /** Reuse unchanged bundles from this folder (the emulator's starts); `npm run build` always rebuilds. */
  cacheDir?: string;
}

/** A function bundled into a deployable folder. */
export interface BundledFunction {
  name: string;
  /** The written folder (`index.js`, `package.json`, `config.json`). */
  dir: string;
  config: FunctionConfig;
  /** Size of `index.js` in bytes. */
  bytes: number;
}

/** A function that could not be bundled, with a message naming it and the faulty file. */
export interface BundleFailure {
  name: string;
  message: string;
}

/** Outcome of one bundling run over every function. */
export interface BundleReport {
  built: BundledFunction[];
  failed: BundleFailure[];
  durationMs: number;
}

/** The SDK version the project pins in its package.json (the deployed package.json repeats it). */
export function pinnedSdkVersion(projectRoot: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.[SDK_PACKAGE];
  if (!version) throw new Error(`package.json does not depend on ${SDK_PACKAGE}`);
  return version;
}

/**
 * zod's namespace re-exports all of its ~60 message locales (≈ 250 KB of a 300 KB budget); our
 * functions answer with their own messages and use only the English default, so the bundles get a
 * locales module exporting `en` alone. Nothing else of zod changes.
 */
const ZOD_ENGLISH_ONLY: Plugin = {
  name: 'zod-english-locale-only',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](?:classic|core|mini)$/.test(args.resolveDir)
        ? { path: path.join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** How every function is bundled: self-contained CommonJS for CloudBase's Node, the SDK left external. */
const FUNCTION_BUILD = {
  bundle: true,
  platform: 'node',
  target: FUNCTION_NODE_TARGET,
  format: 'cjs',
  external: [SDK_PACKAGE],
  minify: true,
  // Chinese messages stay UTF-8 (3 bytes a character) instead of \uXXXX escapes (6).
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'silent',
  plugins: [ZOD_ENGLISH_ONLY],
} satisfies BuildOptions;

/** Formats esbuild's messages as `file:line:column: text` lines. */
function describeMessages(messages: Message[]): string {
  return messages
    .map((message) => {
      const where = message.location
        ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
        : '';
      return `${where}${message.text}`;
    })
    .join('\n');
}

/** esbuild's failure carries structured `errors`; anything else is described by its message. */
function describeBuildError(error: unknown): string {
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return describeMessages(errors as Message[]);
  return (error as Error).message;
}

/** Everything besides the input files that decides a bundle's bytes (the cache key's other half). */
function buildSettings(projectRoot: string): string {
  const tsconfig = path.join(projectRoot, 'tsconfig.json');
  const tsconfigText = fs.existsSync(tsconfig) ? fs.readFileSync(tsconfig, 'utf8') : '';
  return JSON.stringify({ esbuildVersion, FUNCTION_BUILD, projectRoot, tsconfigText });
}

/** Writes `<stagingDir>/index.js`: from the cache when its inputs are unchanged, else with esbuild. */
async function writeIndex(source: FunctionSource, options: BundleOptions, stagingDir: string): Promise<void> {
  const outfile = path.join(stagingDir, 'index.js');
  // Only project sources are cached: throw-away folders (tests) would leave entries behind forever.
  const inProject = !path.relative(options.projectRoot, source.entry).startsWith('..');
  const cache = options.cacheDir && inProject ? new BundleCache(options.cacheDir) : undefined;
  const settings = buildSettings(options.projectRoot);
  const cached = cache?.lookup(source.entry, settings);
  if (cached !== undefined) {
    fs.mkdirSync(stagingDir, { recursive: true });
    fs.writeFileSync(outfile, cached);
    return;
  }
  const result = await build({
    ...FUNCTION_BUILD,
    entryPoints: [source.entry],
    outfile,
    absWorkingDir: options.projectRoot,
    metafile: true,
    write: true,
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(options.projectRoot, input));
  cache?.store(source.entry, settings, inputs, fs.readFileSync(outfile, 'utf8'));
}

/** Bundles one function into a staging folder, then swaps it in place of the previous output. */
async function bundleOne(
  source: FunctionSource,
  options: BundleOptions,
  sdkVersion: string,
): Promise<BundledFunction> {
  const read = readFunctionConfig(source.name, source.dir);
  const config = applyDeclarations(options.projectRoot, source, read.config);
  const { text } = read;
  const finalDir = path.join(options.outDir, source.name);
  const stagingDir = path.join(options.outDir, `.${source.name}.staging-${process.pid}`);
  fs.rmSync(stagingDir, { recursive: true, force: true });
  try {
    await writeIndex(source, options, stagingDir);
  } catch (error) {
    fs.rmSync(stagingDir, { recursive: true, force: true });
    throw new Error(`cloud function ${source.name} failed to bundle:\n${describeBuildError(error)}`);
  }
  const manifest = {
    name: source.name,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    dependencies: { [SDK_PACKAGE]: sdkVersion },
  };
  fs.writeFileSync(path.join(stagingDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const configText = text ?? `${JSON.stringify({ permissions: { openapi: [] } }, null, 2)}\n`;
  fs.writeFileSync(path.join(stagingDir, 'config.json'), configText);
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(stagingDir, finalDir);
  const bytes = fs.statSync(path.join(finalDir, 'index.js')).size;
  return { name: source.name, dir: finalDir, config, bytes };
}

/**
 * Bundles every function under `functionsDir` (all in parallel) into self-contained deployable folders:
 * `index.js` (CommonJS, Node 20.19, everything inlined except `wx-server-sdk`), a `package.json` depending on
 * `wx-server-sdk` only, and the function's `config.json`. One broken function does not stop the others;
 * each failure names its function. `npm run build` and the local runtime both use this, so local runs
 * execute exactly what gets deployed.
 */
export async function bundleFunctions(options: BundleOptions): Promise<BundleReport> {
  const started = Date.now();
  fs.mkdirSync(options.outDir, { recursive: true });
  const sdkVersion = pinnedSdkVersion(options.projectRoot);
  const { sources, invalidNames } = discoverFunctions(options.functionsDir);
  const failed: BundleFailure[] = invalidNames.map((name) => ({
    name,
    message: `cloud function folder "${name}" has a name CloudBase refuses (letters, digits, - and _, starting with a letter)`,
  }));
  const settled = await Promise.allSettled(sources.map((source) => bundleOne(source, options, sdkVersion)));
  const built: BundledFunction[] = [];
  settled.forEach((outcome, i) => {
    const name = sources[i]?.name ?? '?';
    if (outcome.status === 'fulfilled') built.push(outcome.value);
    else failed.push({ name, message: (outcome.reason as Error).message });
  });
  return { built, failed, durationMs: Date.now() - started };
}
