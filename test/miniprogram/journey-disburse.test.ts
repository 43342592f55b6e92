import { maskIdNumber } from '../../shared/masking';
import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  openPage,
  openedApplicationId,
  pageApi,
  tap,
  untilText,
  verifyThroughPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES: this identity is approved by the automated review. */
const APPROVED = { name: '李明', id: '110101199003071233', mobile: '13800138000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

type ProgressApi = { refresh(): Promise<boolean>; onHide(): void };

test('unverified → verified → apply → approved → awaiting confirmation → confirm → disbursed', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-happy');

  const home = openPage('pages/home/index');
  await untilText(home, '尚未实名认证', '去实名认证');

  const identity = await verifyThroughPage(backend, APPROVED);
  const shown = textOf(identity);
  expect(shown).toContain(maskIdNumber(APPROVED.id));
  expect(shown).toContain('*明');
  expect(shown).toContain('138****8000');
  expect(shown).not.toContain(APPROVED.id);

  const homeAgain = openPage('pages/home/index');
  await untilText(homeAgain, '可申请借款', '最高可借 500.00 元', '去借款');

  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '300');
  expect(textOf(apply)).toMatch(/第3期/);
  tap(apply, '#submit-button');
  const loanId = await (async () => {
    for (let i = 0; i < 500 && !phone.log.navigations.some((u) => u.includes('progress')); i++)
      await new Promise((r) => setTimeout(r, 20));
    return openedApplicationId();
  })();
  expect(phone.log.subscribe).toEqual([['loan-status']]);

  const started = Date.now();
  const progress = openPage('packages/borrow/progress/index', { id: loanId });
  await untilText(progress, '审核通过', '300.00 元');
  console.log(`progress page: onLoad → first meaningful data in ${Date.now() - started} ms`);
  expect(textOf(progress)).toContain('正在自动刷新');

  // No operator step: the automatic approval already started the payout when `apply` ran.
  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  await untilText(progress, '等待您确认收款', '确认收款', '300.00 元');

  // A WeChat without wx.requestMerchantTransfer (base library < 3.3.0): told to upgrade, nothing opened.
  phone.missingApis.add('requestMerchantTransfer');
  tap(progress, '#confirm-button');
  await untilText(progress, '当前微信版本过低，无法确认收款，请将微信升级到最新版本后重试');
  await until(() => expect(progress.instance.data.busy).toBe(false));
  expect(phone.log.transfers).toHaveLength(0);
  phone.missingApis.clear();

  // Closing WeChat's receipt page changes nothing: the page asks the server, which still waits.
  phone.transferAction = 'close';
  tap(progress, '#confirm-button');
  await untilText(progress, '等待您确认收款');
  // The button stays disabled (loading) until the server has answered; a person taps again after that.
  await until(() => expect(progress.instance.data.busy).toBe(false));
  expect(phone.log.transfers).toHaveLength(1);
  expect(textOf(progress)).toContain('确认收款');

  phone.transferAction = 'confirm';
  tap(progress, '#confirm-button');
  await until(() => expect(phone.log.transfers).toHaveLength(2));
  expect(phone.log.transfers[1]).toMatchObject({ status: 200, errMsg: 'requestMerchantTransfer:ok' });
  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  await untilText(progress, '借款已到账微信零钱', '300.00 元');
  expect(textOf(progress)).not.toContain('正在自动刷新');
  pageApi<ProgressApi>(progress).onHide();

  const finalHome = openPage('pages/home/index');
  // Disbursed loans are being repaid: home shows the next due date and amount.
  await untilText(finalHome, '还款中', '下期', '应还');

  const loans = openPage('pages/applications/index');
  await untilText(loans, '300.00 元', '借款已到账微信零钱', '3个月');
  tap(loans, '.loan__schedule-link');
  await untilText(loans, '第1期', '第3期');
});
