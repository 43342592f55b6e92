import { phone } from './phone';
import { renderPage, textOf, until } from './page-loader';
import type { PageBackend } from './backend';
import { captureScreen } from './screens/capture';

/** A rendered page as the tests drive it. */
export type RenderedPage = ReturnType<typeof renderPage>;

/** A page's lifecycle and methods, called the way WeChat would. */
export function pageApi<T = Record<string, (...args: never[]) => unknown>>(page: RenderedPage): T {
  return page.instance as unknown as T;
}

const openPages: RenderedPage[] = [];
/** The path each open page was opened with (for `npm run screens`). */
const pagePaths = new WeakMap<RenderedPage, string>();

/** Unloads every page opened so far (stops their refresh loops), as leaving the mini-program would. */
export function closeAllPages(): void {
  for (const page of openPages.splice(0)) pageApi<{ onUnload?: () => void }>(page).onUnload?.();
}

/** Opens a page: renders it and runs onLoad(query), as WeChat does on navigation. */
export function openPage(pagePath: string, query: Record<string, string> = {}): RenderedPage {
  const page = renderPage(pagePath);
  openPages.push(page);
  pagePaths.set(page, pagePath);
  phone.pages.push(page.instance);
  pageApi<{ onLoad(q: Record<string, string>): void }>(page).onLoad(query);
  return page;
}

type Node = {
  dom?: Element;
  dispatchEvent(name: string, options?: object): void;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): Node[];
};

/** Finds an element (inside vant components too, via the inner `.van-button`). */
function find(page: RenderedPage, selector: string): Node {
  const node = (page as unknown as Node).querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}: ${textOf(page)}`);
  return node;
}

/** Where a finger lands inside a vant host: a van-button's button, a van-checkbox's box. */
function tapTarget(host: Node): Node {
  return host.querySelector('.van-button') ?? host.querySelector('.van-checkbox__icon-wrap') ?? host;
}

/** Taps an element; on a van-button or van-checkbox host the tap goes to its inner control like a finger would. */
export function tap(page: RenderedPage, selector: string): void {
  tapTarget(find(page, selector)).dispatchEvent('tap');
}

/** Taps an element inside nested components: each selector is looked up inside the previous match. */
export function tapWithin(page: RenderedPage, ...selectors: string[]): void {
  let node: Node = page as unknown as Node;
  for (const selector of selectors) {
    const next = node.querySelector(selector);
    if (!next) throw new Error(`nothing matches ${selectors.join(' > ')}: ${textOf(page)}`);
    node = next;
  }
  tapTarget(node).dispatchEvent('tap');
}

/** Types into an input or textarea; on a van-field host, into its inner control like a keyboard would. */
export function type(page: RenderedPage, selector: string, value: string): void {
  const host = find(page, selector);
  // A van-field's `.van-field__control` class is also on its slot wrapper: take the real input.
  const control = host
    .querySelectorAll('.van-field__control')
    .find((node) => /^WX-(INPUT|TEXTAREA)$/.test(node.dom?.tagName ?? ''));
  (control ?? host).dispatchEvent('input', { detail: { value } });
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
  captureScreen(page, pagePaths.get(page) ?? 'unknown');
  return textOf(page);
}

/** Verifies the signed-in borrower through the identity page (ocr_phone path: ID photo + phone). */
export async function verifyThroughPage(
  backend: PageBackend,
  who: { name: string; id: string; mobile: string },
): Promise<RenderedPage> {
  const page = await submitIdentity(backend, who);
  await untilText(page, '已完成实名认证');
  return page;
}

/** Fills the identity page and submits it once, whatever the answer. */
export async function submitIdentity(
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
  return page;
}

/** Ticks (or unticks) the credit-inquiry authorisation's van-checkbox. */
export function tickCreditInquiry(page: RenderedPage): void {
  tap(page, '#credit-inquiry-agree');
}

/**
 * Fills the application page (amount in yuan, first purpose, agreement and credit-inquiry
 * authorisation accepted); the test then submits.
 */
export async function fillApplication(page: RenderedPage, amountYuan: string): Promise<void> {
  await untilText(page, '借款协议', '可借');
  type(page, '#amount-input', amountYuan);
  await untilText(page, '第1期', '应还总额');
  tap(page, '.apply-purpose');
  tap(page, '#agreement-agree');
  tickCreditInquiry(page);
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

/** Whether the van-checkbox `selector` is drawn ticked (its icon's checked class). */
export function isChecked(page: RenderedPage, selector: string): boolean {
  const icon = find(page, selector).querySelector('.van-checkbox__icon');
  if (!icon?.dom) throw new Error(`${selector} is not a van-checkbox`);
  return /van-checkbox__icon--checked/.test(icon.dom.className);
}
