/**
 * `npm run size`: what the mini-program would upload, per package, against WeChat's limits
 * (main package and each sub-package ≤ 2 MB, everything ≤ 20 MB). TypeScript is measured as the
 * JavaScript DevTools compiles it to (esbuild strips the types the same way); `.d.ts`, tsconfig and
 * source maps are not uploaded. Run after `npm run build` so miniprogram_npm and shared/ are counted.
 * Exits 1 when a mini-program limit is exceeded. Then each function's bundle against the 300 KB goal
 * and its environment against SCF's 4 KB (reported, see cloudbase/env-variables.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { readDeclarations } from '../emulator/src/functions/declarations';
import { ENV_LIMIT_BYTES, envBudgets } from './platform/env-budget';

/** WeChat's limits in bytes. */
const LIMITS = { package: 2 * 1024 * 1024, total: 20 * 1024 * 1024 };

/** Files DevTools does not upload. */
function uploaded(file: string): boolean {
  return !file.endsWith('.d.ts') && !file.endsWith('.map') && path.basename(file) !== 'tsconfig.json';
}

/** Upload size of one file. */
function sizeOf(file: string): number {
  if (!file.endsWith('.ts')) return fs.statSync(file).size;
  const code = transformSync(fs.readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    minify: true,
  }).code;
  return Buffer.byteLength(code, 'utf8');
}

/** Sub-package roots declared in app.json. */
function subPackageRoots(root: string): string[] {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    subPackages?: Array<{ root: string }>;
    subpackages?: Array<{ root: string }>;
  };
  return (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''));
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Measures `root` (default miniprogram/) and prints one line per package. */
export function measure(root: string): { main: number; subPackages: Record<string, number>; total: number } {
  const subRoots = subPackageRoots(root);
  const subPackages: Record<string, number> = Object.fromEntries(subRoots.map((r) => [r, 0]));
  let main = 0;
  for (const relative of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(root, relative);
    if (!fs.statSync(file).isFile() || !uploaded(file)) continue;
    const posix = relative.split(path.sep).join('/');
    const owner = subRoots.find((r) => posix.startsWith(`${r}/`));
    if (owner) subPackages[owner] = (subPackages[owner] ?? 0) + sizeOf(file);
    else main += sizeOf(file);
  }
  const total = main + Object.values(subPackages).reduce((a, b) => a + b, 0);
  return { main, subPackages, total };
}

/** Goal for one function's bundle without wx-server-sdk (installed in the cloud), in bytes. */
const FUNCTION_BUNDLE_GOAL = 300 * 1024;

/** Prints each built function's bundle size and its environment size (names + largest values, + one rotation). */
function reportFunctions(projectRoot: string): void {
  const dist = path.join(projectRoot, 'dist', 'cloudfunctions');
  const budgets = new Map(
    (readDeclarations(projectRoot) ? envBudgets(readDeclarations(projectRoot)!) : []).map((b) => [b.name, b]),
  );
  if (!fs.existsSync(dist)) {
    console.log('note: dist/cloudfunctions/ is missing; run `npm run build` first for function sizes');
    return;
  }
  for (const name of fs
    .readdirSync(dist)
    .filter((entry) => !entry.startsWith('.'))
    .sort()) {
    const index = path.join(dist, name, 'index.js');
    if (!fs.existsSync(index)) continue;
    const bytes = fs.statSync(index).size;
    const budget = budgets.get(name);
    const env = budget
      ? `env ${budget.peakBytes} B / ${ENV_LIMIT_BYTES} B ${budget.peakBytes > ENV_LIMIT_BYTES ? 'OVER' : 'ok'}`
      : 'env -';
    console.log(
      `${`function ${name}`.padEnd(28)} ${kb(bytes).padStart(12)} / ${kb(FUNCTION_BUNDLE_GOAL).padStart(12)}  ${bytes > FUNCTION_BUNDLE_GOAL ? 'OVER' : 'ok'}   ${env}`,
    );
  }
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'miniprogram'));
  const sizes = measure(root);
  const rows: Array<[string, number, number]> = [
    ['main package', sizes.main, LIMITS.package],
    ...Object.entries(sizes.subPackages).map(([name, bytes]): [string, number, number] => [
      `sub-package ${name}`,
      bytes,
      LIMITS.package,
    ]),
    ['total', sizes.total, LIMITS.total],
  ];
  let over = false;
  for (const [label, bytes, limit] of rows) {
    const flag = bytes > limit ? 'OVER' : 'ok';
    over ||= bytes > limit;
    console.log(
      `${label.padEnd(28)} ${kb(bytes).padStart(12)} / ${kb(limit).padStart(12)}  ${((bytes / limit) * 100).toFixed(1)}%  ${flag}`,
    );
  }
  if (!fs.existsSync(path.join(root, 'miniprogram_npm')))
    console.log('note: miniprogram_npm/ is missing; run `npm run build` first for the real figure');
  if (!process.argv[2]) reportFunctions(path.join(__dirname, '..'));
  if (over) process.exitCode = 1;
}

if (require.main === module) main();
