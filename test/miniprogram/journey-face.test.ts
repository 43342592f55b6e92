import type { FunctionsService } from '../../emulator/src/functions';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, grantPhoneNumber, openPage, tap, type, untilText } from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
  // A licensed lender: the identity function is configured for face verification.
  backend.emu.hub
    .service<FunctionsService>('functions')
    .contributeEnv(() => ({ WXLEND_IDENTITY_VERIFIER: 'face' }));
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

/** Opens the identity page as `openid` and fills in everything but the face step. */
async function openFilledForm(openid: string) {
  resetPhone(backend.emu.baseUrl, openid);
  const page = openPage('packages/borrow/identity/index');
  await untilText(page, '提交后将进行人脸核身');
  type(page, '#name-input', '李明');
  type(page, '#id-input', '110101199003071233');
  await grantPhoneNumber(page, backend, '13800138000');
  tap(page, '#notice-agree');
  return page;
}

const actions = () => phone.log.callFunction.map((c) => `${c.name}.${String(c.action)}`);

test('with the face verifier the page opens a session, runs wx.requestFacialVerify and verifies', async () => {
  const page = await openFilledForm('o-mp-face');
  expect(textOf(page)).not.toContain('拍摄身份证人像面');
  tap(page, '#submit-button');
  const text = await untilText(page, '已完成实名认证', '1****************3', '*明', '138****8000');
  expect(text).not.toContain('110101199003071233');
  expect(phone.log.faceVerifications).toHaveLength(1);
  expect(actions()).toEqual(['identity.status', 'identity.consent', 'identity.startFace', 'identity.verify']);
});

test('a face that does not match is refused by the server, whatever the device callback said', async () => {
  const page = await openFilledForm('o-mp-face-other');
  phone.faceVerifyRet = 10004;
  tap(page, '#submit-button');
  await untilText(page, '人脸核身未通过，请本人重新核身');
  expect(phone.log.faceVerifications).toHaveLength(1);
  expect(textOf(page)).not.toContain('已完成实名认证');
});

test('on a WeChat without wx.requestFacialVerify the page says to upgrade and starts nothing', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-face-old');
  phone.missingApis.add('requestFacialVerify');
  const page = openPage('packages/borrow/identity/index');
  const message = '当前微信版本过低，无法进行人脸核身，请将微信升级到最新版本后重试';
  await untilText(page, message);
  type(page, '#name-input', '李明');
  type(page, '#id-input', '110101199003071233');
  await grantPhoneNumber(page, backend, '13800138000');
  tap(page, '#notice-agree');
  tap(page, '#submit-button');
  await until(() => expect(page.instance.data.submitError).toBe(message));
  expect(actions()).toEqual(['identity.status']);
  expect(phone.log.faceVerifications).toHaveLength(0);
});
