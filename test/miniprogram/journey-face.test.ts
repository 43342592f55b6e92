import type { FunctionsService } from '../../emulator/src/functions';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, grantPhoneNumber, openPage, tap, type, untilText } from './borrower';
import { textOf } from './page-loader';
import { resetPhone } from './phone';

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

test('with the face verifier the page skips the ID photo and runs face verification on submit', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-face');
  const page = openPage('packages/borrow/identity/index');
  await untilText(page, '提交后将进行人脸核身');
  expect(textOf(page)).not.toContain('拍摄身份证人像面');
  type(page, '#name-input', '李明');
  type(page, '#id-input', '110101199003071233');
  await grantPhoneNumber(page, backend, '13800138000');
  tap(page, '#notice-agree');
  tap(page, '#submit-button');
  const text = await untilText(page, '已完成实名认证', '1****************3', '*明', '138****8000');
  expect(text).not.toContain('110101199003071233');
});
