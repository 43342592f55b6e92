import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { QualityItem } from '../../scripts/platform/code-quality';
import { ensureBuiltMiniprogram, ROOT } from '../helpers/miniprogram-build';

const run = promisify(execFile);

/** miniprogram-ci's checkCodeQuality on the project at `projectRoot` (a child process that exits when done). */
async function checkCodeQuality(projectRoot: string): Promise<QualityItem[]> {
  const { stdout } = await run(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/platform/code-quality.ts', projectRoot],
    { cwd: ROOT, timeout: 120_000 },
  );
  const json = stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(json) as QualityItem[];
}

const byName = (items: QualityItem[]) => Object.fromEntries(items.map((item) => [item.name, item]));

beforeAll(() => {
  ensureBuiltMiniprogram();
}, 120_000);

test('checkCodeQuality passes every check on the built mini-program', async () => {
  const items = await checkCodeQuality(ROOT);
  const checks = byName(items);
  for (const name of [
    'PACKAGE_SIZE_LIMIT',
    'JS_COMPRESS_OPEN',
    'WXML_COMPRESS_OPEN',
    'WXSS_COMPRESS_OPEN',
    'LAZYCODE_LOADING_OPEN',
    'CONTAINS_UNUSED_COMPONENTS',
    'CONTAINS_UNUSED_CODES',
  ])
    expect(checks[name]).toBeDefined();
  expect(items.filter((item) => !item.success)).toEqual([]);
  const sizes = checks.PACKAGE_SIZE_LIMIT?.detail as Record<string, number>;
  expect(sizes.__APP__).toBeGreaterThan(100_000); // it measured the packed vant, not an empty folder
  expect(sizes.__APP__).toBeLessThan(1.5 * 1024 * 1024);
}, 180_000);

test('the check is real: the same project with WXML/WXSS minification off fails those two checks', async () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-quality-'));
  try {
    fs.cpSync(path.join(ROOT, 'miniprogram'), path.join(copy, 'miniprogram'), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`),
    });
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8')) as {
      setting: Record<string, unknown>;
    };
    config.setting.minifyWXML = false;
    config.setting.minifyWXSS = false;
    fs.writeFileSync(path.join(copy, 'project.config.json'), JSON.stringify(config));
    const checks = byName(await checkCodeQuality(copy));
    expect(checks.WXML_COMPRESS_OPEN?.success).toBe(false);
    expect(checks.WXSS_COMPRESS_OPEN?.success).toBe(false);
    expect(checks.JS_COMPRESS_OPEN?.success).toBe(true);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}, 180_000);
