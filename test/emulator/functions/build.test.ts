import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { filesUnder } from '../../../scripts/platform/pack-npm';
import { FIXTURE_FUNCTIONS } from './helpers';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm run build`'s script with the given options; resolves with its exit code and output. */
async function build(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/build.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run build', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-build-'));
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('bundles every function into a deployable folder and prepares the mini-program', async () => {
    const outDir = path.join(work, 'dist', 'cloudfunctions');
    const miniprogramDir = path.join(work, 'miniprogram');
    fs.mkdirSync(path.join(outDir, 'removedFunction'), { recursive: true });
    const result = await build([
      '--functions-dir',
      FIXTURE_FUNCTIONS,
      '--out-dir',
      outDir,
      '--miniprogram-dir',
      miniprogramDir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = fs
      .readdirSync(FIXTURE_FUNCTIONS)
      .filter((name) => fs.existsSync(path.join(FIXTURE_FUNCTIONS, name, 'index.ts')))
      .sort();
    expect(fs.readdirSync(outDir).sort()).toEqual(expected);
    for (const name of expected) {
      const dir = path.join(outDir, name);
      expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json']);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        main: string;
        dependencies: Record<string, string>;
      };
      expect(manifest.main).toBe('index.js');
      expect(manifest.dependencies).toEqual({ 'wx-server-sdk': '4.0.2' });
      const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      // Self-contained: shared code is inlined, only the SDK and Node built-ins stay external.
      expect(code).not.toMatch(/require\(["']\.{1,2}\//);
      const source = path.join(FIXTURE_FUNCTIONS, name, 'config.json');
      if (fs.existsSync(source))
        expect(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(fs.readFileSync(source, 'utf8'));
    }
    expect(fs.readFileSync(path.join(outDir, 'echoContext', 'index.js'), 'utf8')).toContain(
      'require("wx-server-sdk")',
    );
    // miniprogram_npm is what DevTools' 构建 npm builds (packNpmManually): vant's `miniprogram` field
    // (lib/, CommonJS) file for file, and dayjs bundled into one requireable index.js.
    const vant = path.join(miniprogramDir, 'miniprogram_npm', '@vant', 'weapp');
    const lib = path.join(ROOT, 'node_modules', '@vant', 'weapp', 'lib');
    expect(filesUnder(vant)).toEqual(filesUnder(lib));
    for (const file of ['button/index.js', 'common/component.js', 'button/index.wxml'])
      expect(fs.readFileSync(path.join(vant, file), 'utf8')).toBe(
        fs.readFileSync(path.join(lib, file), 'utf8'),
      );
    expect(fs.readFileSync(path.join(vant, 'button', 'index.js'), 'utf8')).toMatch(/^"use strict";/);
    const dayjsDir = path.join(miniprogramDir, 'miniprogram_npm', 'dayjs');
    expect(fs.readdirSync(dayjsDir)).toContain('index.js');
    const packed = (await import(path.join(dayjsDir, 'index.js'))) as {
      default: (at: number) => { format(pattern: string): string };
    };
    expect(packed.default(Date.UTC(2026, 0, 2, 12)).format('YYYY')).toBe('2026');
    expect(result.stdout).toMatch(
      /miniprogram_npm by packNpmManually \(1 mini-program \+ 1 npm packages, \d+ files\)/,
    );
    const shared = fs.readdirSync(path.join(ROOT, 'shared')).filter((file) => file.endsWith('.ts'));
    expect(fs.readdirSync(path.join(miniprogramDir, 'shared')).sort()).toEqual(shared.sort());
  });

  test('each built index.js loads in a plain Node process with NODE_PATH at node_modules', async () => {
    const outDir = path.join(work, 'dist', 'cloudfunctions');
    const names = fs.readdirSync(outDir);
    const probe = `for (const dir of process.argv.slice(1)) {
      const loaded = require(dir + '/index.js');
      if (typeof loaded.main !== 'function') { console.error(dir + ' has no main'); process.exit(2); }
    }`;
    const { stderr } = await run(
      process.execPath,
      ['-e', probe, ...names.map((name) => path.join(outDir, name))],
      {
        cwd: os.tmpdir(),
        env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(ROOT, 'node_modules') },
      },
    );
    expect(stderr).toBe('');
  });

  test('a broken function fails the build with its name, the others still build', async () => {
    const functionsDir = path.join(work, 'broken-src');
    fs.mkdirSync(path.join(functionsDir, 'goodOne'), { recursive: true });
    fs.mkdirSync(path.join(functionsDir, 'badSyntax'), { recursive: true });
    fs.mkdirSync(path.join(functionsDir, 'badConfig'), { recursive: true });
    fs.writeFileSync(path.join(functionsDir, 'goodOne', 'index.ts'), 'export const main = async () => 1;\n');
    fs.writeFileSync(path.join(functionsDir, 'badSyntax', 'index.ts'), 'export const main = async ( => 1;\n');
    fs.writeFileSync(
      path.join(functionsDir, 'badConfig', 'index.ts'),
      'export const main = async () => 1;\n',
    );
    fs.writeFileSync(path.join(functionsDir, 'badConfig', 'config.json'), '{ "timeout": "soon" }');
    const outDir = path.join(work, 'broken-out');
    const result = await build([
      '--functions-dir',
      functionsDir,
      '--out-dir',
      outDir,
      '--miniprogram-dir',
      path.join(work, 'broken-mp'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cloud function badSyntax failed to bundle:\n.*badSyntax[/\\]index\.ts:1:\d+: /,
    );
    expect(result.stderr).toMatch(/cloud function badConfig: invalid config\.json \(timeout: /);
    expect(fs.readdirSync(outDir)).toEqual(['goodOne']);
  });
});
