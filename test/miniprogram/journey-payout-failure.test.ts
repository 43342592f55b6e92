import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  fillApplication,
  shownStatusKind,
  openPage,
  openedApplicationId,
  pageApi,
  tap,
  untilText,
  verifyThroughPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES: approved by the automated review. */
const APPROVED = { name: '李明', id: '110101199003071233', mobile: '13800138000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

type ProgressApi = { refresh(): Promise<boolean> };

test('a payout that fails after confirmation shows the reason and next step, and a retry pays out', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-payout-fail');
  await verifyThroughPage(backend, APPROVED);
  // Scripted before applying: the automatic approval starts the payout before `apply` answers.
  backend.fault({ target: 'settle_fail', failReason: 'PAYEE_ACCOUNT_ABNORMAL' });
  const apply = openPage('packages/borrow/apply/index');
  await fillApplication(apply, '400');
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  const loanId = openedApplicationId();
  const progress = openPage('packages/borrow/progress/index', { id: loanId });
  await untilText(progress, '审核通过', '400.00 元');

  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  await untilText(progress, '等待您确认收款');
  expect(shownStatusKind(progress)).toBe('needs_you');
  tap(progress, '#confirm-button');
  await until(() => expect(phone.log.transfers).toHaveLength(1));
  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  const failed = await untilText(
    progress,
    '放款未成功',
    '原因：您的微信零钱账户异常，无法收款',
    '下一步：',
    '重新发起放款',
  );
  expect(failed).not.toContain('正在自动刷新');
  // Failure is drawn as failure, with the reason said once.
  expect(shownStatusKind(progress)).toBe('failed');
  expect(failed.split('您的微信零钱账户异常').length - 1).toBe(1);

  const home = openPage('pages/home/index');
  await untilText(home, '放款未成功', '查看进度');

  tap(progress, '#retry-button');
  await untilText(progress, '正在发起放款');
  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  await untilText(progress, '等待您确认收款', '确认收款');
  tap(progress, '#confirm-button');
  await until(() => expect(phone.log.transfers).toHaveLength(2));
  await backend.steps(3);
  await pageApi<ProgressApi>(progress).refresh();
  await untilText(progress, '借款已到账微信零钱');
  expect(shownStatusKind(progress)).toBe('success');
  expect(textOf(progress)).not.toContain('重新发起放款');
});
