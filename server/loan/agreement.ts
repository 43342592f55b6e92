import { createHash } from 'node:crypto';
import type { LoanAgreement, LoanQuote, SignableQuote } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { formatYuan } from '../../shared/money';
import { dueDates } from './due-dates';

/** What the agreement text needs besides the priced loan. */
export interface AgreementTerms {
  /** Agreement version in force (`LoanProductConfig.agreementVersion`). */
  version: string;
  /** The lender's registered name. */
  lenderName: string;
  /** Signing instant: dates the schedule. */
  now: number;
}

const METHOD_LABELS = { equal_instalment: '等额本息', equal_principal: '等额本金' } as const;

const yuan = (fen: number): string => `${formatYuan(fen as Fen)}元`;

const percent = (bps: number): string => `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, '0')}%`;

/** The agreement text filled with this loan's figures: what the borrower reads and signs, verbatim. */
function agreementText(quote: LoanQuote, dates: string[], terms: AgreementTerms): string {
  const lines = quote.schedule.map(
    (i, n) =>
      `  第${i.period}期 ${dates[n]} 应还${yuan(i.total)}（本金${yuan(i.principal)}，利息${yuan(i.interest)}）`,
  );
  return [
    `借款协议（${terms.version}版）`,
    `出借人：${terms.lenderName}`,
    `一、借款金额${yuan(quote.amount)}，期限${quote.termMonths}个月，还款方式${METHOD_LABELS[quote.method]}，年化利率（单利）${percent(quote.aprBps)}。`,
    `二、应还总额${yuan(quote.totalRepayment)}，其中总利息${yuan(quote.totalInterest)}；除利息外不收取任何其他费用（其他费用0元）。`,
    '三、还款计划（以借款发放日起算，如发放日期不同，到期日按发放日顺延并另行通知）：',
    ...lines,
    '四、借款经审核通过后，款项将通过微信支付“商家转账”发放至您的微信零钱，您需在24小时内确认收款；逾期未确认的转账将自动关闭，您可重新发起。',
    '五、您承诺借款不用于购买虚拟货币、赌博、炒股等投资投机活动或购房首付，不用于任何违法用途。',
    '六、审核由系统自动完成，您有权要求我们说明审核结果，并可对未通过的结果申请人工复议。',
    '七、您应按还款计划按时足额还款；提前还款按实际借款天数计息。',
    '八、我们依法保护您的个人信息，仅在提供借款服务所必需的范围内处理。',
    '九、本协议自您勾选同意并提交申请时成立，自借款发放至您的微信零钱时生效。',
  ].join('\n');
}

/** The agreement for one priced loan with its SHA-256 (UTF-8, hex): the evidence of what was signed. */
export function loanAgreement(quote: LoanQuote, terms: AgreementTerms): LoanAgreement {
  const text = agreementText(quote, dueDates(terms.now, quote.termMonths), terms);
  return { version: terms.version, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** A priced loan with everything the borrower must see before signing: dates, fees, lender, agreement. */
export function signableQuote(quote: LoanQuote, terms: AgreementTerms): SignableQuote {
  const dates = dueDates(terms.now, quote.termMonths);
  return {
    ...quote,
    otherFees: 0 as Fen,
    lenderName: terms.lenderName,
    dueDates: dates,
    firstDueDate: dates[0] ?? '',
    agreement: loanAgreement(quote, terms),
  };
}
