import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { appStyles, composeHtml } from '../../scripts/screens/compose';
import { drawStates } from '../../scripts/screens/render';
import { rpxToPx } from '../../scripts/screens/rpx';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-screens-'));
});
afterAll(async () => {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The single drawn state of a run. */
function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

/** Writes one captured state the way the page tests' capture does. */
function capture(name: string, body: string, styles = ''): void {
  fs.mkdirSync(path.join(dir, 'states'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'states', `${name}.json`),
    JSON.stringify({ testFile: 'audit', test: name, page: 'pages/x/index', styles, body }),
  );
}

test('rpx is drawn at 0.5 px on a 375 px screen; app.wxss reaches the page body and the page’s own classes', () => {
  expect(rpxToPx('padding: 32rpx 15rpx; margin: -1.5rpx')).toBe('padding: 16px 7.5px; margin: -0.75px');
  const app = appStyles();
  expect(app).toMatch(/body\s*\{/);
  expect(app).toContain('.main--wl-hint');
  expect(app).not.toMatch(/\d+rpx/);
  expect(
    composeHtml({ testFile: 'a', test: 'b', page: 'p', styles: '.x{}', body: '<main></main>' }, app),
  ).toContain('<body><main></main></body>');
});

test('contrast: grey #969799 on white fails 4.5:1, #646566 passes, large text needs only 3:1', async () => {
  capture(
    'contrast',
    `<main style="background:#fff">
      <wx-view style="color:#969799;font-size:14px">浅灰事实</wx-view>
      <wx-view style="color:#646566;font-size:14px">深灰事实</wx-view>
      <wx-view style="color:#07c160;background:#fff;font-size:14px">绿色链接</wx-view>
      <wx-view style="color:#fff;background:#07c160;font-size:26px">大号白字</wx-view>
      <wx-view style="color:#fff;background:#07c160;font-size:14px">小号白字</wx-view>
    </main>`,
  );
  const drawn = only(await drawStates(browser, path.join(dir, 'states'), path.join(dir, 'png')));
  fs.rmSync(path.join(dir, 'states'), { recursive: true });
  expect(fs.existsSync(drawn.png)).toBe(true);
  expect(drawn.audit.texts).toBe(5);
  const failed = Object.fromEntries(drawn.audit.lowContrast.map((f) => [f.text, f]));
  expect(Object.keys(failed).sort()).toEqual(['大号白字', '小号白字', '浅灰事实', '绿色链接'].sort());
  expect(failed['浅灰事实']).toMatchObject({ color: '#969799', background: '#ffffff', needed: 4.5 });
  expect(failed['浅灰事实']?.ratio).toBeCloseTo(2.92, 1);
  expect(failed['大号白字']).toMatchObject({ needed: 3 });
  expect(failed['小号白字']?.ratio).toBeCloseTo(2.38, 1);
});

test('tap targets: under 44 px and touching targets are found; nested targets count once', async () => {
  capture(
    'targets',
    `<main>
      <wx-view data-screens-tap="1" style="height:20px;width:60px">小标签</wx-view>
      <wx-view data-screens-tap="1" style="height:20px;width:60px">贴着的</wx-view>
      <wx-view style="height:20px"></wx-view>
      <wx-view data-screens-tap="1" style="height:48px;width:200px"><wx-button data-screens-tap="1" style="height:48px">好按钮</wx-button></wx-view>
    </main>`,
  );
  const drawn = only(await drawStates(browser, path.join(dir, 'states'), path.join(dir, 'png')));
  expect(drawn.audit.targets).toBe(3);
  expect(drawn.audit.smallTargets.map((t) => t.target).sort()).toEqual(['小标签', '贴着的'].sort());
  expect(drawn.audit.smallTargets[0]).toMatchObject({ width: 60, height: 20 });
  expect(drawn.audit.touching).toEqual([{ a: '小标签', b: '贴着的' }]);
});
