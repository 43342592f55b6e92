import { getApplication } from '../../miniprogram/services/loan';
import { dateTime } from '../../miniprogram/utils/format';
import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  openPage,
  openedApplicationId,
  shownStatusKind,
  submitIdentity,
  tap,
  tapWithin,
  type,
  untilText,
  verifyThroughPage,
  type RenderedPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** Every screen offers a next step: 去借款, 返回首页, when a person will answer, 联系客服. */

/** TEST_CREDIT_FILES: approved, manual review, rejected. */
const LI = { name: '李明', id: '110101199003071233', mobile: '13800138000' };
const ZHAO = { name: '赵强', id: '310104198506124562', mobile: '13700137000' };
const WANG = { name: '王芳', id: '440305199208157893', mobile: '13900139000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

/** Applies through the page and answers the new application's id. */
async function applyThroughPage(amountYuan: string): Promise<string> {
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, amountYuan);
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  return openedApplicationId();
}

/** Whether any wl-status inside `selector` is drawn as `kind`. */
function drawnAs(page: RenderedPage, selector: string, kind: string): boolean {
  const host = (page as unknown as { querySelector(s: string): { dom?: Element } | null }).querySelector(
    selector,
  );
  return [...(host?.dom?.querySelectorAll('*') ?? [])].some((e) =>
    e.className.includes(`wl-status--${kind}`),
  );
}

test('an empty loan list offers 去借款', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-empty');
  const loans = openPage('pages/applications/index');
  await untilText(loans, '还没有借款记录', '去借款');
  tapWithin(loans, '#load-state', '#empty-action');
  await until(() => expect(phone.log.navigations).toContain('/packages/borrow/apply/index'));
});

test('a bad link offers 返回首页, not a 重试 that can never work', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-bad-link');
  for (const [page, query] of [
    ['packages/borrow/progress/index', {}],
    ['packages/borrow/progress/index', { id: '0123456789abcdef0123456789abcdef' }],
    ['packages/borrow/appeal/index', {}],
    ['packages/borrow/repay/index', {}],
  ] as const) {
    const opened = openPage(page, query);
    const text = await untilText(opened, '返回首页');
    expect(text).not.toContain('重试');
    phone.log.navigations.length = 0;
    tapWithin(opened, '#load-state', '#home-button');
    await until(() => expect(phone.log.navigations).toEqual(['/pages/home/index']));
  }
});

test('verified → 去借款 on the identity page; the home card says the same', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-li');
  const identity = await verifyThroughPage(backend, LI);
  await untilText(identity, '已完成实名认证', '去借款');
  tap(identity, '#apply-button');
  await until(() => expect(phone.log.navigations).toContain('/packages/borrow/apply/index'));
  const home = openPage('pages/home/index');
  await untilText(home, '可申请借款', '去借款');
  expect(shownStatusKind(home)).toBe('success');
});

test('a refusal that promises 联系客服 offers it right there', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-li-second-account');
  const identity = await submitIdentity(backend, LI);
  await untilText(identity, '该身份证号码已绑定其他微信账号', '联系客服');
  expect(identity.querySelector('#help')?.querySelector('#contact-button')).toBeTruthy();
});

test('人工审核中 says when a person will have decided, on the progress page and the home card', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-zhao');
  await verifyThroughPage(backend, ZHAO);
  const id = await applyThroughPage('150');
  const app = await getApplication(id);
  expect(app.status).toBe('manual_review');
  const entered = app.timeline.find((e) => e.status === 'manual_review')?.at ?? -1;
  const by = dateTime(entered + 24 * 3_600_000);
  expect(app.expectedDecisionBy).toBe(entered + 24 * 3_600_000);

  const progress = openPage('packages/borrow/progress/index', { id });
  await untilText(progress, '人工审核中', `预计 ${by} 前完成`);
  expect(shownStatusKind(progress)).toBe('progress');
  const home = openPage('pages/home/index');
  await untilText(home, '申请处理中', `预计 ${by} 前完成`, '查看进度');
});

test('after an appeal: the reasons and the borrower’s text stay, the time frame, 返回首页 and 联系客服', async () => {
  resetPhone(backend.emu.baseUrl, 'o-next-wang');
  await verifyThroughPage(backend, WANG);
  const id = await applyThroughPage('200');

  const loans = openPage('pages/applications/index');
  await untilText(loans, '200.00 元', '未通过');
  expect(drawnAs(loans, '.loans', 'failed')).toBe(true);
  const home = openPage('pages/home/index');
  await untilText(home, '申请未通过', '查看原因');
  expect(shownStatusKind(home)).toBe('failed');

  const appeal = openPage('packages/borrow/appeal/index', { id });
  const before = await untilText(appeal, '未通过原因', '提交复议申请');
  expect(shownStatusKind(appeal)).toBe('failed');
  const reasons = before.slice(before.indexOf('未通过原因'), before.indexOf('复议理由'));
  type(appeal, '#reason-input', '本月起收入提高，负债已结清');
  tap(appeal, '#submit-button');
  const after = await untilText(
    appeal,
    '复议申请已提交',
    '您的复议理由：本月起收入提高，负债已结清',
    '人工复议中，预计',
    '返回首页',
    '联系客服',
  );
  expect(after).toContain(reasons.trim());
  expect(after).not.toContain('提交复议申请');
  const app = await getApplication(id);
  expect(after).toContain(`预计 ${dateTime(app.expectedDecisionBy ?? 0)} 前给出结果`);
  phone.log.navigations.length = 0;
  tap(appeal, '#home-button');
  await until(() => expect(phone.log.navigations).toEqual(['/pages/home/index']));

  const progress = openPage('packages/borrow/progress/index', { id });
  await untilText(progress, '未通过原因', '您的复议理由：本月起收入提高', '人工复议中');
  expect(textOf(progress)).toContain(reasons.replace('未通过原因', '').trim().slice(0, 6));
});
