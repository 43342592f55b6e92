import { handlePrivacyAuthorization, PRIVACY_AGREE_BUTTON_ID } from '../../miniprogram/utils/privacy';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, openPage, untilText } from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

type Node = { dispatchEvent(name: string): void; querySelector(selector: string): Node | null };

/** WeChat asking for privacy consent (e.g. before the phone-number button); answers what the app resolved. */
function needPrivacy(referrer: string): Array<Record<string, unknown>> {
  const resolutions: Array<Record<string, unknown>> = [];
  if (!phone.privacyListener) throw new Error('the app registered no wx.onNeedPrivacyAuthorization listener');
  phone.privacyListener((resolution) => resolutions.push(resolution), { referrer });
  return resolutions;
}

async function identityPage(openid: string) {
  resetPhone(backend.emu.baseUrl, openid);
  handlePrivacyAuthorization(); // what app.ts does in onLaunch
  const page = openPage('packages/borrow/identity/index');
  await untilText(page, '填写身份信息');
  return page;
}

function press(page: unknown, selector: string, event: string): void {
  const node = (page as Node).querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  node.dispatchEvent(event);
}

test('the app shows our privacy notice when WeChat asks, and resolves agree after the agree button', async () => {
  const page = await identityPage('o-privacy-agree');
  expect(textOf(page)).not.toContain('用户隐私保护提示');
  const resolutions = needPrivacy('button.getPhoneNumber');
  await untilText(page, '用户隐私保护提示', '《用户隐私保护指引》', '同意并继续');
  expect(resolutions).toEqual([{ event: 'exposureAuthorization' }]);
  press(page, `#privacy-sheet >>> #${PRIVACY_AGREE_BUTTON_ID}`, 'agreeprivacyauthorization');
  await until(() => expect(resolutions).toHaveLength(2));
  expect(resolutions[1]).toEqual({ event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID });
  await until(() => expect(textOf(page)).not.toContain('用户隐私保护提示'));
});

test('declining resolves disagree, so the privacy API fails instead of waiting', async () => {
  const page = await identityPage('o-privacy-decline');
  const resolutions = needPrivacy('chooseMedia');
  await untilText(page, '暂不同意');
  press(page, '#privacy-sheet >>> #privacy-disagree', 'tap');
  await until(() => expect(resolutions).toEqual([{ event: 'exposureAuthorization' }, { event: 'disagree' }]));
});

test('on a page without the sheet the request is declined with a hint, and old clients register nothing', () => {
  resetPhone(backend.emu.baseUrl, 'o-privacy-home');
  handlePrivacyAuthorization();
  // A page on screen with no privacy sheet: selectComponent answers null, as WeChat does.
  phone.pages.push({ selectComponent: () => null });
  expect(needPrivacy('getClipboardData')).toEqual([{ event: 'disagree' }]);
  expect(phone.log.toasts).toContain('请在实名认证页同意隐私保护指引');
  resetPhone(backend.emu.baseUrl, 'o-privacy-old');
  phone.missingApis.add('onNeedPrivacyAuthorization');
  handlePrivacyAuthorization();
  expect(phone.privacyListener).toBeUndefined();
});
