import { phone } from './phone';
import { renderPage, textOf, until } from './page-loader';
import type { PageBackend } from './backend';

/** A rendered page as the tests drive it. */
export type RenderedPage = ReturnType<typeof renderPage>;

/** A page's lifecycle and methods, called the way WeChat would. */
export function pageApi<T = Record<string, (...args: never[]) => unknown>>(page: RenderedPage): T {
  return page.instance as unknown as T;
}

const openPages: RenderedPage[] = [];

/** Unloads every page opened so far (stops their refresh loops), as leaving the mini-program would. */
export function closeAllPages(): void {
  for (const page of openPages.splice(0)) pageApi<{ onUnload?: () => void }>(page).onUnload?.();
}

/** Opens a page: renders it and runs onLoad(query), as WeChat does on navigation. */
export function openPage(pagePath: string, query: Record<string, string> = {}): RenderedPage {
  const page = renderPage(pagePath);
  openPages.push(page);
  phone.pages.push(page.instance);
  pageApi<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  return page;
}

type Node = {
  dispatchEvent(name: string, options?: object): void;
  querySelector(selector: string): Node | null;
};

/** Finds an element (inside vant components too, via the inner `.van-button`). */
function find(page: RenderedPage, selector: string): Node {
  const node = (page as unknown as Node).querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}: ${textOf(page)}`);
  return node;
}

/** Taps an element; on a van-button host the tap goes to its inner button like a finger would. */
export function tap(page: RenderedPage, selector: string): void {
  const host = find(page, selector);
  const inner = host.querySelector('.van-button');
  (inner ?? host).dispatchEvent('tap');
}

/** Taps an element inside nested components: each selector is looked up inside the previous match. */
export function tapWithin(page: RenderedPage, ...selectors: string[]): void {
  let node: Node = page as unknown as Node;
  for (const selector of selectors) {
    const next = node.querySelector(selector);
    if (!next) throw new Error(`nothing matches ${selectors.join(' > ')}: ${textOf(page)}`);
    node = next;
  }
  (node.querySelector('.van-button') ?? node).dispatchEvent('tap');
}

/** Types into an input or textarea. */
export function type(page: RenderedPage, selector: string, value: string): void {
  find(page, selector).dispatchEvent('input', { detail: { value } });
}

/** The getPhoneNumber button: WeChat hands the page a single-use code from the backend's phone service. */
export async function grantPhoneNumber(
  page: RenderedPage,
  backend: PageBackend,
  mobile: string,
): Promise<void> {
  const code = await backend.phoneCode(phone.openid, mobile);
  find(page, '#phone-button').dispatchEvent('getphonenumber', {
    detail: { code, errMsg: 'getPhoneNumber:ok' },
  });
}

/** Waits until the page's text contains every one of `parts`. */
export async function untilText(page: RenderedPage, ...parts: string[]): Promise<string> {
  await until(() => {
    const text = textOf(page);
    for (const part of parts) expect(text).toContain(part);
  });
  return textOf(page);
}

/** Verifies the signed-in borrower through the identity page (ocr_phone path: ID photo + phone). */
export async function verifyThroughPage(
  backend: PageBackend,
  who: { name: string; id: string; mobile: string },
): Promise<RenderedPage> {
  const page = openPage('packages/borrow/identity/index');
  await untilText(page, '敏感个人信息处理单独告知', '获取手机号');
  type(page, '#name-input', who.name);
  type(page, '#id-input', who.id);
  await grantPhoneNumber(page, backend, who.mobile);
  phone.idCard = { name: who.name, id: who.id };
  tap(page, '#photo-button');
  await untilText(page, '已拍摄身份证人像面');
  tap(page, '#notice-agree');
  tap(page, '#submit-button');
  await untilText(page, '已完成实名认证');
  return page;
}

/** Fills the application page and submits once (amount in yuan, first purpose, agreement accepted). */
export async function fillApplication(page: RenderedPage, amountYuan: string): Promise<void> {
  await untilText(page, '借款协议', '可借');
  type(page, '#amount-input', amountYuan);
  await untilText(page, '第1期', '应还总额');
  tap(page, '.apply-purpose');
  tap(page, '#agreement-agree');
}

/** The application id the page navigated to (from the progress URL it opened). */
export function openedApplicationId(): string {
  const url = [...phone.log.navigations]
    .reverse()
    .find((u) => u.startsWith('/packages/borrow/progress/index?id='));
  if (!url) throw new Error(`no progress page opened: ${phone.log.navigations.join(', ')}`);
  return url.slice(url.indexOf('=') + 1);
}

/** The kind (success, progress, needs_you, failed) the page's wl-status `#status` is drawn as. */
export function shownStatusKind(page: RenderedPage): string {
  const host = find(page, '#status') as unknown as { dom?: Element };
  const classes = [...(host.dom?.querySelectorAll('*') ?? [])].map((e) => e.className).join(' ');
  return /wl-status--(success|progress|needs_you|failed)/.exec(classes)?.[1] ?? '';
}
