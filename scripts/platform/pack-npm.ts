/**
 * `miniprogram_npm/` built the way DevTools' 构建 npm builds it, with its own engine: miniprogram-ci's
 * `packNpmManually` (offline) over the mini-program's own package.json (`miniprogram/package.json`,
 * the file project.config.json's packNpmRelationList points DevTools at). The packages come from
 * the root install: a staging folder links them next to a copy of that package.json, after checking
 * each installed version is the declared one. Run as a script it packs and exits (the library keeps
 * timers alive after it is done).
 */
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * miniprogram-ci, loaded when used (it is large) and without its type declarations, which pull the
 * mini-program's global typings (`require`) into this Node program.
 */
function loadMiniprogramCi(): unknown {
  return createRequire(__filename)('miniprogram-ci');
}

/** What packNpmManually reported. */
export interface PackNpmReport {
  /** Packages built from their `miniprogram` field (e.g. @vant/weapp → lib/). */
  miniProgramPackNum: number;
  /** Plain npm packages bundled into one file (e.g. dayjs → index.js). */
  otherNpmPackNum: number;
  warnList: Array<{ msg: string }>;
  /** Files written under miniprogram_npm/. */
  files: number;
}

/** The mini-program's own manifest, relative to the project root. */
export const MINIPROGRAM_MANIFEST = path.join('miniprogram', 'package.json');

/** `name → version` the mini-program declares. */
export function miniprogramDependencies(projectRoot: string): Record<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, MINIPROGRAM_MANIFEST), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return manifest.dependencies ?? {};
}

/** Throws a clear message when an installed package is missing or not the declared version. */
function checkInstalled(projectRoot: string, dependencies: Record<string, string>): void {
  for (const [name, version] of Object.entries(dependencies)) {
    const manifest = path.join(projectRoot, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) throw new Error(`${name} is not installed; run npm install first`);
    const installed = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
    if (installed !== version)
      throw new Error(
        `${MINIPROGRAM_MANIFEST} declares ${name} ${version} but node_modules has ${installed}; keep it equal to package.json`,
      );
  }
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Replaces `<miniprogramDir>/miniprogram_npm` with what packNpmManually builds from the declared packages. */
export async function packMiniprogramNpm(
  projectRoot: string,
  miniprogramDir: string,
): Promise<PackNpmReport> {
  const dependencies = miniprogramDependencies(projectRoot);
  checkInstalled(projectRoot, dependencies);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-mpnpm-'));
  try {
    fs.copyFileSync(path.join(projectRoot, MINIPROGRAM_MANIFEST), path.join(stage, 'package.json'));
    for (const name of Object.keys(dependencies)) {
      const link = path.join(stage, 'node_modules', name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(projectRoot, 'node_modules', name), link, 'dir');
    }
    const target = path.join(miniprogramDir, 'miniprogram_npm');
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(miniprogramDir, { recursive: true });
    // Loaded here, not at the top: the library is large and only this step needs it.
    const ci = loadMiniprogramCi() as {
      packNpmManually(options: {
        packageJsonPath: string;
        miniprogramNpmDistDir: string;
      }): Promise<Omit<PackNpmReport, 'files'>>;
    };
    const report = await ci.packNpmManually({
      packageJsonPath: path.join(stage, 'package.json'),
      miniprogramNpmDistDir: miniprogramDir,
    });
    const packed = Object.keys(dependencies).length;
    if (report.miniProgramPackNum + report.otherNpmPackNum !== packed || report.warnList.length > 0)
      throw new Error(`packNpmManually built ${JSON.stringify(report)}, expected ${packed} packages`);
    return { ...report, files: filesUnder(target).length };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Whether `<miniprogramDir>/miniprogram_npm` holds what packing would write (vant's lib/ file for file). */
export function packIsCurrent(projectRoot: string, miniprogramDir: string): boolean {
  const npm = path.join(miniprogramDir, 'miniprogram_npm');
  const lib = path.join(projectRoot, 'node_modules', '@vant', 'weapp', 'lib');
  const built = filesUnder(path.join(npm, '@vant', 'weapp'));
  const source = filesUnder(lib);
  if (built.length === 0 || built.join('\n') !== source.join('\n')) return false;
  const same = (file: string) =>
    fs.statSync(path.join(npm, '@vant', 'weapp', file)).size === fs.statSync(path.join(lib, file)).size;
  return source.every(same) && fs.existsSync(path.join(npm, 'dayjs', 'index.js'));
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..');
  const dir = path.resolve(process.argv[2] ?? path.join(root, 'miniprogram'));
  packMiniprogramNpm(root, dir).then(
    (report) => {
      console.log(JSON.stringify(report));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`packNpmManually failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
