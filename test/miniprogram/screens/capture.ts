import fs from 'node:fs';
import path from 'node:path';
import { rpxToPx } from '../../../scripts/screens/rpx';

/** Where `npm run screens` asks page tests to write each state they reach; unset in `npm test`. */
const SCREENS_DIR = process.env.WXLEND_SCREENS_DIR;

/** True when page tests should write their states for `npm run screens`. */
export function capturingScreens(): boolean {
  return Boolean(SCREENS_DIR);
}

/** The last look written per test and page, so a state that did not change is not written twice. */
const lastLook = new Map<string, string>();
/** How many states each test file has written, for ordered file names. */
const counts = new Map<string, number>();

/** A file-name-safe slug of a test's name. */
function slug(text: string): string {
  return text.replace(/[\\/:*?"<>|\s]+/g, '-').slice(0, 90);
}

/** What simulate's renderer keeps on each DOM element: the exparser node and the template's attributes and events. */
type WxElement = Element & {
  __wxElement?: {
    _vt?: { attrs?: Array<{ name: string; value: unknown }>; event?: Record<string, { name: string }> };
  };
};

/** Built-in components a finger can act on whatever their bindings. */
const TAPPABLE_TAGS = new Set([
  'wx-button',
  'wx-navigator',
  'wx-input',
  'wx-textarea',
  'wx-checkbox',
  'wx-switch',
  'wx-radio',
  'wx-picker',
]);
/** Event names that make an element a tap target. */
const TAP_EVENTS = /^(tap|longpress|click|change|getphonenumber|contact)$/;

/**
 * Serialises `root` with what the picture needs and the DOM lacks: `data-screens-tap` on tap targets
 * (built-in controls and elements with a tap binding) and the value or placeholder of each input as
 * `data-screens-value` / `data-screens-placeholder`. The live DOM is left as it was.
 */
function annotated(root: Element, serialise: () => string): string {
  const marked: Element[] = [];
  for (const element of [root, ...root.querySelectorAll('*')] as WxElement[]) {
    const vt = element.__wxElement?._vt;
    const events = Object.values(vt?.event ?? {}).map((e: { name: string }) => e.name);
    const attrs = new Map((vt?.attrs ?? []).map((a: { name: string; value: unknown }) => [a.name, a.value]));
    const tag = element.tagName.toLowerCase();
    if (TAPPABLE_TAGS.has(tag) || events.some((name) => TAP_EVENTS.test(name)))
      element.setAttribute('data-screens-tap', '1');
    if (tag === 'wx-input' || tag === 'wx-textarea') {
      const value = attrs.get('value');
      const placeholder = attrs.get('placeholder');
      if (value !== undefined && value !== '') element.setAttribute('data-screens-value', String(value));
      if (placeholder !== undefined) element.setAttribute('data-screens-placeholder', String(placeholder));
    }
    if (element.attributes.length) marked.push(element);
  }
  try {
    return serialise();
  } finally {
    for (const element of marked)
      for (const name of ['data-screens-tap', 'data-screens-value', 'data-screens-placeholder'])
        element.removeAttribute(name);
  }
}

/**
 * Writes the page as it is now (its DOM plus every stylesheet simulate injected) to the screens folder,
 * once per distinct look, named after the test file and the test.
 */
export function captureScreen(page: { dom?: Element }, pagePath: string): void {
  if (!SCREENS_DIR || !page.dom) return;
  const state = expect.getState();
  const testFile = path.basename(state.testPath ?? 'unknown', '.test.ts');
  const test = state.currentTestName ?? '';
  const body = annotated(page.dom, () => page.dom?.outerHTML ?? '');
  const key = `${testFile}|${test}|${pagePath}`;
  if (lastLook.get(key) === body) return;
  lastLook.set(key, body);
  const index = (counts.get(testFile) ?? 0) + 1;
  counts.set(testFile, index);
  const styles = [...document.querySelectorAll('style')].map((s) => s.textContent ?? '').join('\n');
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const name = `${testFile}--${String(index).padStart(2, '0')}--${slug(test)}.json`;
  fs.writeFileSync(
    path.join(SCREENS_DIR, name),
    JSON.stringify({ testFile, test, page: pagePath, styles, body }),
  );
}

/**
 * In screens mode, makes simulate convert rpx at the 375 px screen's 0.5 px instead of its 1 px, so the
 * drawn pages have WeChat's proportions. `npm test` keeps simulate's own conversion.
 */
export function useScreenRpx(): void {
  if (!SCREENS_DIR) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const utils = require('miniprogram-simulate/src/utils') as { transformRpx: (css: string) => string };
  utils.transformRpx = rpxToPx;
}
