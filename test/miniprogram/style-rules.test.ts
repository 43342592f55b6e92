import fs from 'node:fs';
import path from 'node:path';

/**
 * The style rules of issue 14 over our own WXML/WXSS (vant's theme is steered from app.wxss):
 * one brand colour, text contrast ≥ 4.5:1, vant controls instead of native ones, 44 px choices,
 * every outcome drawn by wl-status and every timeline by wl-timeline.
 */

const ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

/** Our files ending in `ext` (not the built npm or shared copies). */
function ownFiles(ext: string): string[] {
  return fs
    .readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext) && !f.startsWith('miniprogram_npm') && !f.startsWith('shared'))
    .map((f) => path.join(ROOT, f));
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const appWxss = read(path.join(ROOT, 'app.wxss'));

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The value of a `--name: #rrggbb` variable in app.wxss. */
function cssVar(name: string): string {
  const found = new RegExp(`${name}:\\s*(#[0-9a-fA-F]{6})`).exec(appWxss)?.[1];
  if (!found) throw new Error(`app.wxss defines no ${name}`);
  return found.toLowerCase();
}

test('one brand colour: app.wxss defines it once, vant and the tab bar use it', () => {
  const brand = cssVar('--wl-brand');
  const app = JSON.parse(read(path.join(ROOT, 'app.json'))) as { tabBar: { selectedColor: string } };
  expect(app.tabBar.selectedColor.toLowerCase()).toBe(brand);
  for (const themed of [
    '--button-primary-background-color',
    '--tag-primary-color',
    '--checkbox-checked-icon-color',
  ])
    expect(appWxss).toMatch(new RegExp(`${themed}:\\s*var\\(--wl-brand\\)`));
  // White text on the brand colour (primary buttons, selected tags) reads at ≥ 4.5:1.
  expect(contrast(brand, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  // No other brand-like colour is hard-coded anywhere else.
  for (const file of [...ownFiles('.wxss'), ...ownFiles('.wxml')].filter((f) => !f.endsWith('app.wxss')))
    expect({ file, found: /#(07c160|1989fa|1677ff|969799)/i.test(read(file)) }).toEqual({
      file,
      found: false,
    });
});

test('every text colour is ≥ 4.5:1 on white and on the page background', () => {
  const colours = new Map<string, string>();
  for (const name of [
    '--wl-brand',
    '--wl-text',
    '--wl-text-secondary',
    '--wl-success',
    '--wl-progress',
    '--wl-needs-you',
    '--wl-failed',
  ])
    colours.set(name, cssVar(name));
  for (const file of ownFiles('.wxss'))
    for (const match of read(file).matchAll(/(?:^|[;{\s])color:\s*(#[0-9a-fA-F]{6})/g))
      colours.set(`${path.relative(ROOT, file)} ${match[1]}`, (match[1] as string).toLowerCase());
  for (const [where, colour] of colours) {
    expect({ where, onWhite: contrast(colour, '#ffffff') >= 4.5 }).toEqual({ where, onWhite: true });
    expect({ where, onPage: contrast(colour, '#f7f8fa') >= 4.5 }).toEqual({ where, onPage: true });
  }
});

test('vant controls instead of native inputs and hand-drawn boxes; choices are 44 px targets', () => {
  expect(appWxss).toMatch(/--wl-tap:\s*88rpx/); // 44 px at 375 px (750 rpx)
  expect(appWxss).toMatch(/\.wl-choice__tag\s*{[^}]*min-height:\s*var\(--wl-tap\)/);
  for (const file of ownFiles('.wxml')) {
    const wxml = read(file);
    const where = path.relative(ROOT, file);
    expect({ where, native: /<(input|textarea|checkbox)[\s>]/.test(wxml) }).toEqual({ where, native: false });
    expect({ where, drawn: /[☑☐]/.test(wxml) }).toEqual({ where, drawn: false });
    for (const tag of wxml.match(/<van-tag[\s\S]*?>/g) ?? [])
      expect({ where, tag, target: tag.includes('custom-class="wl-choice__tag"') }).toEqual({
        where,
        tag,
        target: true,
      });
  }
});

test('every page showing an outcome draws it with wl-status; timelines with wl-timeline', () => {
  for (const page of [
    'pages/home/index',
    'pages/applications/index',
    'pages/me/index',
    'packages/borrow/progress/index',
    'packages/borrow/appeal/index',
    'packages/borrow/repay/index',
  ])
    expect({ page, status: read(path.join(ROOT, `${page}.wxml`)).includes('<wl-status') }).toEqual({
      page,
      status: true,
    });
  for (const file of ownFiles('.wxml').filter((f) => !f.includes('wl-timeline')))
    expect({ file, steps: read(file).includes('<van-steps') }).toEqual({ file, steps: false });
});
