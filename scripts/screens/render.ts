import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { appStyles, composeHtml, type CapturedState } from './compose';

/** What the in-page audit measured on one drawn state. */
export interface StateAudit {
  texts: number;
  lowContrast: Array<{
    text: string;
    color: string;
    background: string;
    ratio: number;
    needed: number;
    fontSize: number;
  }>;
  targets: number;
  smallTargets: Array<{ target: string; width: number; height: number }>;
  touching: Array<{ a: string; b: string }>;
}

/** One drawn state: where its picture is, what it shows and what the audit found. */
export interface DrawnState {
  name: string;
  png: string;
  testFile: string;
  test: string;
  page: string;
  audit: StateAudit;
}

const AUDIT_SCRIPT = fs.readFileSync(path.join(__dirname, 'page-audit.browser.js'), 'utf8');

/** The screen a borrower's phone shows: 375 CSS px wide at 2× (an iPhone-sized WeChat view). */
const VIEWPORT = { width: 375, height: 667 };

/** Draws every captured state in `statesDir` to PNG in `outDir` and audits it. */
export async function drawStates(browser: Browser, statesDir: string, outDir: string): Promise<DrawnState[]> {
  const app = appStyles();
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.route('**/*', (route) => route.abort());
  const page = await context.newPage();
  const drawn: DrawnState[] = [];
  fs.mkdirSync(outDir, { recursive: true });
  for (const file of fs
    .readdirSync(statesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const state = JSON.parse(fs.readFileSync(path.join(statesDir, file), 'utf8')) as CapturedState;
    const name = file.replace(/\.json$/, '');
    await page.setContent(composeHtml(state, app), { waitUntil: 'load' });
    const png = path.join(outDir, `${name}.png`);
    // The viewport grows to the whole page, so a bar fixed to the bottom is drawn at the page's end
    // (where the borrower sees it after scrolling) rather than across the middle of a full-page shot.
    await page.setViewportSize(VIEWPORT);
    const height = await page.evaluate('document.documentElement.scrollHeight');
    await page.setViewportSize({ width: VIEWPORT.width, height: Math.max(VIEWPORT.height, Number(height)) });
    await page.screenshot({ path: png });
    const audit = (await page.evaluate(AUDIT_SCRIPT)) as StateAudit;
    drawn.push({ name, png, testFile: state.testFile, test: state.test, page: state.page, audit });
  }
  await context.close();
  return drawn;
}

/** Draws a contact sheet of every state (thumbnails with their test and page) to `file`. */
export async function drawContactSheet(browser: Browser, states: DrawnState[], file: string): Promise<void> {
  const cells = states
    .map((s) => {
      const img = fs.readFileSync(s.png).toString('base64');
      const flags = s.audit.lowContrast.length + s.audit.smallTargets.length + s.audit.touching.length;
      return `<figure><img src="data:image/png;base64,${img}"><figcaption><b>${escape(s.page)}</b><br>${escape(
        s.test,
      )}${flags ? `<br><i>${flags} finding(s)</i>` : ''}</figcaption></figure>`;
    })
    .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
    body{margin:16px;font:12px 'Noto Sans CJK SC',sans-serif;background:#e5e7eb;display:flex;flex-wrap:wrap;gap:12px;width:1560px}
    figure{margin:0;width:187px;background:#fff;padding:4px;box-shadow:0 1px 2px #0003}
    img{width:187px;height:333px;object-fit:cover;object-position:top;display:block}
    figcaption{padding:4px 2px;word-break:break-all}</style></head><body>${cells}</body></html>`;
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.setContent(html, { waitUntil: 'load' });
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
}

/** HTML-escapes text for the contact sheet. */
function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
