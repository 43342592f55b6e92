import { docs, verifyBorrower } from '../loan/emulator-harness';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, fillApplication, openPage, tap, untilText, type RenderedPage } from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** 我的 withdraws the credit-inquiry authorisation (征信查询授权) through its own row and panel. */

/** The fake bureau's approved test identity, verified with the credit-inquiry authorisation. */
const PERSON = { name: '李明', idNumber: '110101199003071233', phone: '13800138000' };
const OPENID = 'o-mp-me-credit';

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
  resetPhone(backend.emu.baseUrl, OPENID);
  await verifyBorrower(backend.emu, OPENID, PERSON);
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

/** Whether the rendered page shows the withdraw button opening `panel` (read from the DOM, which drops removed nodes). */
const shows = (page: RenderedPage, panel: string) =>
  (page as unknown as { dom: Element }).dom.querySelector(`van-button[data-panel="${panel}"]`) !== null;
const borrower = () =>
  docs<{ _id: string; creditInquiry?: unknown; creditInquiryHistory?: unknown[] }>(
    backend.emu,
    'borrowers',
  ).find((b) => b._id === OPENID);

test('the credit-inquiry row has its own withdraw panel; after withdrawing it shows withdrawn, applying authorises again', async () => {
  const me = openPage('pages/me/index');
  await untilText(me, '《征信查询授权书》', '《敏感个人信息处理单独告知》');
  expect(textOf(me).match(/有效/g)).toHaveLength(2);
  expect(shows(me, 'withdraw')).toBe(true);

  tap(me, '#withdraw-credit-button');
  await untilText(
    me,
    '撤回征信查询授权前请了解',
    '新的借款申请需要重新授权',
    '已签署的借款按合同继续履行',
    '确认撤回授权',
  );
  expect(textOf(me)).not.toContain('撤回同意前请了解');
  tap(me, '#withdraw-credit-keep');
  await until(() => expect(textOf(me)).not.toContain('撤回征信查询授权前请了解'));
  expect(borrower()?.creditInquiry).toBeDefined();

  tap(me, '#withdraw-credit-button');
  await untilText(me, '确认撤回授权');
  tap(me, '#withdraw-credit-confirm');
  await untilText(me, '已撤回征信查询授权', '再次申请借款时，可在申请页重新授权');
  await until(() => expect(textOf(me)).toMatch(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 撤回/));
  expect(shows(me, 'withdraw-credit')).toBe(false);
  // The notice's consent is untouched: still in force, still withdrawable, nothing blocks applying.
  expect(textOf(me).match(/有效/g)).toHaveLength(1);
  expect(shows(me, 'withdraw')).toBe(true);
  expect(textOf(me)).not.toContain('暂不能申请借款');
  expect(borrower()?.creditInquiry).toBeUndefined();
  expect(borrower()?.creditInquiryHistory).toHaveLength(1);

  // The apply page asks for the authorisation again and records it on submit.
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '200');
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  expect(borrower()?.creditInquiry).toBeDefined();

  const meAgain = openPage('pages/me/index');
  await untilText(meAgain, '《征信查询授权书》');
  await until(() => expect(shows(meAgain, 'withdraw-credit')).toBe(true));
  expect(textOf(meAgain).match(/《征信查询授权书》/g)).toHaveLength(2);
});
