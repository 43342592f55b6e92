import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  isChecked,
  openPage,
  tap,
  type,
  untilText,
  verifyThroughPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES identities. */
const LI = { name: '李明', id: '110101199003071233', mobile: '13800138000' };
const ZHAO = { name: '赵强', id: '310104198506124562', mobile: '13700137000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

test('before verifying, 我的 says so and offers 去实名认证', async () => {
  resetPhone(backend.emu.baseUrl, 'o-me-new');
  const me = openPage('pages/me/index');
  await untilText(me, '个人信息', '尚未实名认证', '您还没有给出任何授权', '注销账号', '联系客服');
  tap(me, '#verify-button');
  await until(() => expect(phone.log.navigations).toContain('/packages/borrow/identity/index'));
});

test('masked information and the consent with version and time; withdrawing blocks applying until given again', async () => {
  resetPhone(backend.emu.baseUrl, 'o-me-li');
  await verifyThroughPage(backend, LI);
  const me = openPage('pages/me/index');
  const shown = await untilText(
    me,
    '*明',
    '1****************3',
    '138****8000',
    '《敏感个人信息处理单独告知》',
    '有效',
  );
  expect(shown).toMatch(/版本 \S+ · 同意于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  for (const secret of [LI.name, LI.id, LI.mobile]) expect(shown).not.toContain(secret);

  tap(me, '#withdraw-button');
  await untilText(me, '撤回同意前请了解', '不能提交新的借款申请', '还款不受影响');
  tap(me, '#withdraw-keep');
  await until(() => expect(textOf(me)).not.toContain('撤回同意前请了解'));
  tap(me, '#withdraw-button');
  await untilText(me, '确认撤回');
  tap(me, '#withdraw-confirm');
  await untilText(me, '已撤回同意', '暂不能申请借款', '重新同意后即可恢复', '撤回');

  // The server enforces it: the apply page is refused with the code's message.
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '200');
  tap(apply, '#submit-button');
  await untilText(apply, '您已撤回个人信息处理同意，暂不能申请借款');
  expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(false);

  // The home card says so too, with the way to 我的.
  const home = openPage('pages/home/index');
  await untilText(home, '暂不能申请借款', '去“我的”');

  // Back on 我的 (opened afresh: simulate resolves a van-checkbox's relation against the last page
  // loaded, so a checkbox of a page loaded before another checkbox page no longer answers taps).
  const meAgain = openPage('pages/me/index');
  await untilText(meAgain, '重新同意', '同意并恢复借款服务');
  tap(meAgain, '#consent-button');
  await untilText(meAgain, '请先阅读并勾选同意');
  tap(meAgain, '#notice-agree');
  await until(() => expect(isChecked(meAgain, '#notice-agree')).toBe(true));
  tap(meAgain, '#consent-button');
  await untilText(meAgain, '已重新同意');
  await until(() => expect(textOf(meAgain)).not.toContain('暂不能申请借款'));
  expect(textOf(meAgain).match(/已于 .* 撤回/)).toBeTruthy();

  const again = openPage('packages/borrow/apply/index');
  await fillApplication(again, '200');
  tap(again, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
});

test('account deletion: what is kept and why, then the request and its state, then cancelling it', async () => {
  resetPhone(backend.emu.baseUrl, 'o-me-zhao');
  await verifyThroughPage(backend, ZHAO);
  const me = openPage('pages/me/index');
  await untilText(me, '申请注销账号');
  tap(me, '#deletion-button');
  await untilText(me, '哪些信息会依法保留', '反洗钱法', '至少保存10年', '网络安全法');
  tap(me, '#deletion-confirm');
  await untilText(me, '注销申请已提交', '注销申请：已提交，处理中', '15个工作日内', '撤销注销申请');
  expect(textOf(me)).toContain('注销申请处理中，暂不能申请借款');

  tap(me, '#deletion-cancel');
  await untilText(me, '已撤销注销申请', '注销申请：已撤销');
  expect(textOf(me)).not.toContain('暂不能申请借款');
});

test('a correction request names the field and its state, never the text sent', async () => {
  resetPhone(backend.emu.baseUrl, 'o-me-zhao');
  const me = openPage('pages/me/index');
  await untilText(me, '申请更正信息');
  tap(me, '#correction-button');
  await untilText(me, '哪项信息需要更正', '姓名', '身份证号', '手机号');
  tap(me, '#correction-submit');
  await untilText(me, '请填写正确的信息');
  tap(me, '#field-phone');
  type(me, '#correction-input', '新号码 13911112222');
  tap(me, '#correction-submit');
  await untilText(me, '更正申请已提交', '手机号更正申请', '已提交，处理中');
  expect(textOf(me)).not.toContain('13911112222');
});
