import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  shownStatusKind,
  openPage,
  openedApplicationId,
  tap,
  type,
  untilText,
  verifyThroughPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES: rejected by the automated review. */
const REJECTED = { name: '王芳', id: '440305199208157893', mobile: '13900139000' };
/** TEST_CREDIT_FILES: sent to manual review. */
const MANUAL = { name: '赵强', id: '310104198506124562', mobile: '13700137000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

test('a rejection shows its reasons, and the borrower appeals it and follows the appeal', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-rejected');
  await verifyThroughPage(backend, REJECTED);
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '200');
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  const loanId = openedApplicationId();

  const progress = openPage('packages/borrow/progress/index', { id: loanId });
  const text = await untilText(progress, '未通过审核', '未通过原因', '申请人工复议', '200.00 元');
  expect(text).not.toContain('正在自动刷新');
  expect(shownStatusKind(progress)).toBe('failed');

  const home = openPage('pages/home/index');
  await untilText(home, '申请未通过', '查看原因');

  tap(progress, '#appeal-button');
  await until(() => expect(phone.log.navigations).toContain(`/packages/borrow/appeal/index?id=${loanId}`));
  const appeal = openPage('packages/borrow/appeal/index', { id: loanId });
  await untilText(appeal, '未通过审核', '提交复议申请');
  tap(appeal, '#submit-button');
  await untilText(appeal, '请简要说明复议理由');
  type(appeal, '#reason-input', '本月起收入提高，负债已结清');
  tap(appeal, '#submit-button');
  await untilText(appeal, '复议申请已提交', '将由人工重新审核');
  expect(textOf(appeal)).not.toContain('提交复议申请');
});

test('a double tap on submit sends one application with one requestId', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-double-tap');
  await verifyThroughPage(backend, MANUAL);
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '150');
  tap(apply, '#submit-button');
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  expect(phone.log.callFunction.filter((c) => c.name === 'loan' && c.action === 'apply')).toHaveLength(1);
  expect(phone.log.subscribe).toHaveLength(1);

  const loans = openPage('pages/applications/index');
  const text = await untilText(loans, '150.00 元');
  expect(text.match(/150\.00 元/g)).toHaveLength(1);
  const progress = openPage('packages/borrow/progress/index', { id: openedApplicationId() });
  await untilText(progress, '人工审核中', '正在自动刷新');
});
