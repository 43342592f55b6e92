import fs from 'node:fs';
import path from 'node:path';
import { rpxToPx } from './rpx';

/** One page state a page test reached, as `test/miniprogram/screens/capture.ts` wrote it. */
export interface CapturedState {
  testFile: string;
  test: string;
  page: string;
  styles: string;
  body: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const BASE_CSS = fs.readFileSync(path.join(__dirname, 'wechat-base.css'), 'utf8');

/**
 * app.wxss as the page sees it: `page` is the body, and its classes reach the page's own elements
 * (simulate prefixes those `main--`), not components' (WeChat isolates component styles by default).
 */
export function appStyles(): string {
  const wxss = fs.readFileSync(path.join(ROOT, 'miniprogram', 'app.wxss'), 'utf8');
  return rpxToPx(wxss)
    .replace(/(^|[\s,}])page(?=[\s,{.:[])/g, '$1body')
    .replace(/\.([A-Za-z_][-\w]*)/g, '.main--$1');
}

/** A standalone HTML document drawing one captured state. */
export function composeHtml(state: CapturedState, app: string): string {
  return [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=375">',
    `<style>${BASE_CSS}</style><style>${app}</style><style>${state.styles}</style>`,
    `</head><body>${state.body}</body></html>`,
  ].join('');
}
