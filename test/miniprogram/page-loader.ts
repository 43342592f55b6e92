import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';

/** The repository root: simulate's rootPath, so absolute component paths resolve from here. */
const ROOT = path.resolve(__dirname, '..', '..');

/** @vant/weapp components the pages use, loaded from what ships: the built miniprogram_npm (global setup packs it). */
const VANT = [
  'button',
  'cell',
  'cell-group',
  // Before checkbox: a relation resolves to the partner registered before it (see RELATION_PARTNERS).
  'checkbox-group',
  'checkbox',
  'empty',
  'field',
  'loading',
  'steps',
  'tag',
  'icon',
];

/**
 * Components whose relation partner must be registered too: simulate's getRelationNodes answers
 * null (where WeChat answers []) for a partner it never loaded, and van-checkbox reads `[0]` of it.
 */
const RELATION_PARTNERS: Record<string, string> = { 'van-checkbox': 'van-checkbox-group' };

/** Our own components. */
const OWN = ['wl-contact', 'wl-load-state', 'wl-privacy-sheet', 'wl-schedule', 'wl-status', 'wl-timeline'];

const COMPONENTS: Record<string, string> = {
  ...Object.fromEntries(
    VANT.map((name) => [`van-${name}`, `/miniprogram/miniprogram_npm/@vant/weapp/${name}/index`]),
  ),
  ...Object.fromEntries(OWN.map((name) => [name, `/miniprogram/components/${name}/index`])),
};

/** Files under `dir` (relative to ROOT) ending in `ext`; our own folders without the packed npm. */
function filesUnder(dir: string, ext: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter(
      (file) => file.endsWith(ext) && (dir.includes('miniprogram_npm') || !file.includes('miniprogram_npm')),
    )
    .map((file) => path.join(dir, file).replace(/\\/g, '/'));
}

/** What the official wxml compiler compiles: our mini-program and the packed vant in miniprogram_npm. */
const VANT_BUILT = 'miniprogram/miniprogram_npm/@vant/weapp';
const COMPILER_OPTIONS = {
  wxmlList: [...filesUnder('miniprogram', '.wxml'), ...filesUnder(VANT_BUILT, '.wxml')],
  wxsList: [...filesUnder('miniprogram', '.wxs'), ...filesUnder(VANT_BUILT, '.wxs')],
};

/** Tags a page uses, following our own components' `usingComponents` too. */
function tagsUsedBy(jsonFile: string, seen = new Set<string>()): Set<string> {
  const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { usingComponents?: Record<string, string> };
  for (const tag of Object.keys(json.usingComponents ?? {})) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    if (OWN.includes(tag)) tagsUsedBy(path.join(ROOT, 'miniprogram', 'components', tag, 'index.json'), seen);
  }
  return seen;
}

/**
 * Loads a page or component of the mini-program (e.g. `pages/home/index`) with the vant and own
 * components swapped in. Each load runs the page's code afresh (jest caches modules, and the
 * `Component` call must run once per load).
 */
export function loadPage(pagePath: string): string {
  const file = path.join(ROOT, 'miniprogram', pagePath);
  const used = tagsUsedBy(`${file}.json`);
  for (const [tag, partner] of Object.entries(RELATION_PARTNERS)) if (used.has(tag)) used.add(partner);
  const usingComponents = Object.fromEntries(Object.entries(COMPONENTS).filter(([tag]) => used.has(tag)));
  let id = '';
  jest.isolateModules(() => {
    id = simulate.load(file, { rootPath: ROOT, usingComponents, compilerOptions: COMPILER_OPTIONS });
  });
  return id;
}

/** A rendered page attached to a document, ready for `instance.onLoad(query)`. */
export function renderPage(pagePath: string) {
  const page = simulate.render(loadPage(pagePath));
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

/** The page's visible text with whitespace collapsed. */
export function textOf(page: { dom?: Element }): string {
  return (page.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until `check` passes (pages update after real backend calls); fails with the last error. */
export async function until(check: () => void, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await simulate.sleep(20);
    }
  }
}
