import { formatYuan } from '../../shared/money';
import type { QuoteAnswer, SignableQuote } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { callAs, docs, verifyBorrower } from '../loan/emulator-harness';
import { startPageBackend, type PageBackend } from './backend';
import {
  closeAllPages,
  isChecked,
  openPage,
  openedApplicationId,
  tap,
  tickCreditInquiry,
  type,
  untilText,
  type RenderedPage,
} from './borrower';
import { textOf, until } from './page-loader';
import { phone, resetPhone } from './phone';

/** TEST_CREDIT_FILES: approved by the automated review. */
const PERSON = { name: '李明', idNumber: '110101199003071233', phone: '13800138000' };
const OPENID = 'o-mp-cost';

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

/** The text of one element of the page. */
function textAt(page: RenderedPage, selector: string): string {
  const node = (page as unknown as { querySelector(s: string): { dom?: Element } | null }).querySelector(
    selector,
  );
  if (!node) throw new Error(`nothing matches ${selector}: ${textOf(page)}`);
  return textOf(node);
}

/** What the server quotes for these figures, asked directly (not through the page). */
async function serverQuote(amount: number, termMonths: number): Promise<SignableQuote> {
  const answer = await callAs<QuoteAnswer>(backend.emu, OPENID, 'loan', {
    action: 'quote',
    amount,
    termMonths,
    method: 'equal_instalment',
  });
  if (!answer.ok || !answer.data.quote) throw new Error(JSON.stringify(answer));
  return answer.data.quote;
}

const yuanText = (fen: number): string => `${formatYuan(fen as Fen)} 元`;

test('the cost box shows the server quote to the fen, the dated schedule is one tap away, and the signed agreement is the served one', async () => {
  const apply = openPage('packages/borrow/apply/index');
  await untilText(apply, '年化利率', '18.00%', '提交申请');
  expect(textOf(apply)).toContain('输入金额后显示应还总额');
  type(apply, '#amount-input', '300');
  // 总利息 appears only once the cost box holds the quote (出借人 is also in the credit-inquiry text).
  await untilText(apply, '应还总额', '出借人', '总利息');
  const quote = await serverQuote(30_000, 3);

  expect(textAt(apply, '#cost-apr')).toBe('18.00%');
  expect(textAt(apply, '#cost-total')).toBe(yuanText(quote.totalRepayment));
  expect(textAt(apply, '#cost-interest')).toBe(yuanText(quote.totalInterest));
  expect(textAt(apply, '#cost-fees')).toBe('0.00 元');
  expect(textAt(apply, '#cost-lender')).toBe(quote.lenderName);
  expect(textAt(apply, '#cost-first-due')).toBe(quote.firstDueDate);
  // The sticky bar repeats rate and total beside the submit button.
  expect(textAt(apply, '.apply-bar')).toContain(yuanText(quote.totalRepayment));
  expect(textAt(apply, '.apply-bar')).toContain('提交申请');

  const page = apply as unknown as { querySelector(s: string): unknown };
  expect(page.querySelector('.apply-quote')).toBeFalsy();
  tap(apply, '#schedule-toggle');
  await untilText(apply, '收起还款计划');
  const schedule = textAt(apply, '.apply-quote');
  for (const [n, i] of quote.schedule.entries()) {
    expect(schedule).toContain(`第${i.period}期${quote.dueDates[n]}${formatYuan(i.principal)} 元`);
    expect(schedule).toContain(yuanText(i.total));
  }

  expect(textAt(apply, '#agreement-text')).toBe(
    textOf({ dom: { textContent: quote.agreement.text } as Element }),
  );

  // Another term is another agreement: the acceptance is cleared and the new text served.
  tap(apply, '#agreement-agree');
  await until(() => expect(isChecked(apply, '#agreement-agree')).toBe(true));
  tap(apply, '#term-6');
  const six = await serverQuote(30_000, 6);
  await until(() => expect(textAt(apply, '#cost-total')).toBe(yuanText(six.totalRepayment)));
  expect(isChecked(apply, '#agreement-agree')).toBe(false);

  tap(apply, '.apply-purpose');
  tap(apply, '#agreement-agree');
  tickCreditInquiry(apply);
  tap(apply, '#submit-button');
  await until(() => expect(phone.log.navigations.some((u) => u.includes('progress'))).toBe(true));
  const stored = docs<{ _id: string; consent: { textSha256: string; text: string } }>(
    backend.emu,
    'loanApplications',
  ).find((d) => d._id === openedApplicationId());
  expect(stored?.consent).toMatchObject({ textSha256: six.agreement.sha256, text: six.agreement.text });
});
