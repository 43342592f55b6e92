import cloud from 'wx-server-sdk';
import type { FunctionsService } from '../../emulator/src/functions';
import type { OpenapiService } from '../../emulator/src/openapi/service';
import { retryingOnConflict } from '../../server/storage/conflict-retry';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import { getDb } from '../../server/runtime/cloud';
import { useEmulatorEnv } from '../helpers/emulator';
import { chinaTime } from '../repayment/fixtures';
import { disbursedLoan, SUB_MCH_ID } from '../repayment/harness';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, openPage, tap, untilText, verifyThroughPage } from './borrower';
import { textOf } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES: an identity that verifies (the loan itself is seeded as the payout leaves it). */
const BORROWER = { name: '李明', id: '110101199003071233', mobile: '13800138000' };

let backend: PageBackend;
let seed: { docs: SdkDocStore | ReturnType<typeof retryingOnConflict>; now(): number };
beforeAll(async () => {
  backend = await startPageBackend();
  backend.emu.hub
    .service<FunctionsService>('functions')
    .contributeEnv(() => ({ WXLEND_COLLECTION_SUB_MCH_ID: SUB_MCH_ID }));
  useEmulatorEnv(backend.emu);
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  seed = {
    docs: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    now: () => backend.emu.hub.clock.now(),
  };
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

/** The backend's openapi fakes (subscribe grants). */
function openapi(): OpenapiService {
  return backend.emu.hub.service<OpenapiService>('openapi');
}

async function setClock(iso: string): Promise<void> {
  await backend.emu.hub.clock.set(chinaTime(iso));
  await backend.emu.hub.scheduler.drain();
}

test('repayment page: dated schedule, quote before paying, the server’s answer decides, history with receipt', async () => {
  await setClock('2026-01-31T10:00:00');
  resetPhone(backend.emu.baseUrl, 'o-mp-repay');
  const { loanId } = await disbursedLoan(seed, { amount: 30_000, termMonths: 3 }, 'o-mp-repay');
  await setClock('2026-02-27T10:00:00');
  const page = openPage('packages/borrow/repay/index', { id: loanId });
  await untilText(page, '下期 2026-02-28 应还', '2026-03-31', '2026-04-30', '还本期', '提前结清');
  // 我的合同: this loan's figures and the signature's evidence.
  await untilText(
    page,
    '我的合同',
    '微借示例小额贷款有限公司',
    '借款金额：300.00 元',
    '18.00%',
    '协议版本：2026-01',
    'a'.repeat(64),
  );
  tap(page, '#quote-payoff');
  await untilText(page, '提前结清 ', '本期利息按实际借款 27 天计算');
  tap(page, '#quote-due');
  await untilText(page, '还本期 ', '本金', '确认支付');
  tap(page, '#pay-button');
  await untilText(page, '还款成功', '已还清', '还款记录', '已到账');
  expect(textOf(page)).toContain('下期 2026-03-31 应还');
  // The pay tap asked WeChat for the next reminder's permission; the borrower accepted: one grant.
  expect(phone.log.subscribe).toEqual([['repayment-reminder']]);
  expect(openapi().remainingGrants('o-mp-repay', 'repayment-reminder')).toBe(1);
});

test('home card: next due date, then the overdue amount in plain words, then free to apply again', async () => {
  await setClock('2026-01-10T10:00:00');
  resetPhone(backend.emu.baseUrl, 'o-mp-home');
  await verifyThroughPage(backend, BORROWER);
  const { loanId } = await disbursedLoan(seed, { amount: 30_000, termMonths: 1 }, 'o-mp-home');
  const home = openPage('pages/home/index');
  await untilText(home, '还款中', '下期 2026-02-10 应还', '查看还款计划');

  await setClock('2026-02-20T10:00:00');
  const overdue = openPage('pages/home/index');
  await untilText(overdue, '有一笔款项待还', '还款后即恢复正常', '去还款');
  expect(textOf(overdue)).not.toMatch(/逾期|违约|催收/);

  const page = openPage('packages/borrow/repay/index', { id: loanId });
  await untilText(page, '还逾期款项', '待尽快还款');
  tap(page, '#quote-overdue');
  await untilText(page, '罚息', '确认支付');
  // This borrower declines the reminder permission: the payment goes ahead all the same.
  phone.acceptTemplates = [];
  tap(page, '#pay-button');
  await untilText(page, '还款成功', '借款已结清');
  expect(phone.log.subscribe.at(-1)).toEqual(['repayment-reminder']);
  expect(openapi().remainingGrants('o-mp-home', 'repayment-reminder')).toBe(0);
  const settled = openPage('pages/home/index');
  await untilText(settled, '可申请借款');
});
