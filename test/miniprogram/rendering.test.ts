import { backendConfig } from '../../miniprogram/config';
import { getIdentityStatus } from '../../miniprogram/services/identity';
import { ID_NUMBER_MESSAGES } from '../../shared/idcard';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, openPage, tap, tapWithin, type, untilText } from './borrower';
import { textOf } from './page-loader';
import { resetPhone } from './phone';

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

test('loading first, then the empty state of a borrower without loans', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-empty');
  const loans = openPage('pages/applications/index');
  expect(textOf(loans)).toContain('加载中');
  await untilText(loans, '还没有借款记录');
});

test('an unreachable backend shows a plain error with a retry that recovers', async () => {
  resetPhone('http://127.0.0.1:9', 'o-mp-offline');
  const home = openPage('pages/home/index');
  await untilText(home, '网络不太稳定，请检查网络后重试', '重试');
  resetPhone(backend.emu.baseUrl, 'o-mp-offline');
  tapWithin(home, '#load-state', '#retry-button');
  await untilText(home, '尚未实名认证');
});

test('the ID number is checked as typed with shared/idcard.ts; the name too', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-typing');
  const identity = openPage('packages/borrow/identity/index');
  await untilText(identity, '敏感个人信息处理单独告知', '今日还可认证 5 次');
  type(identity, '#id-input', '1101011990');
  expect(identity.querySelector('.identity-id-error')).toBeFalsy();
  type(identity, '#id-input', '110101199003071234');
  await untilText(identity, ID_NUMBER_MESSAGES.ID_CHECK_DIGIT);
  type(identity, '#id-input', '110101199003071233');
  await untilText(identity, '身份证号');
  expect(textOf(identity)).not.toContain(ID_NUMBER_MESSAGES.ID_CHECK_DIGIT);
  type(identity, '#name-input', 'Li Ming');
  await untilText(identity, '姓名');
  expect(identity.querySelector('.identity-name-error')).toBeTruthy();
  tap(identity, '#submit-button');
  await untilText(identity, '姓名只能包含汉字');
  expect(identity.querySelector('.identity-submit-error')).toBeTruthy();
});

test('an amount outside the offer shows the server’s reason in yuan', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-limits');
  const apply = openPage('packages/borrow/apply/index');
  await untilText(apply, '可借 100.00 元 – 500.00 元', '18.00%');
  type(apply, '#amount-input', '600');
  await untilText(apply, '借款金额不能高于 500 元');
  type(apply, '#amount-input', '12.345');
  await untilText(apply, '请输入正确的金额（元）');
  tap(apply, '#submit-button');
  await untilText(apply, '请输入正确的金额（元）');
});

test('the local mode reaches the emulator gateway over wx.request with the developer openid', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-unused');
  const saved = { ...backendConfig };
  Object.assign(backendConfig, {
    mode: 'local',
    localBaseUrl: backend.emu.baseUrl,
    developerOpenid: 'o-mp-developer',
  });
  try {
    const status = await getIdentityStatus();
    expect(status.verified).toBe(false);
    expect(status.notice.consented).toBe(false);
  } finally {
    Object.assign(backendConfig, saved);
  }
});
