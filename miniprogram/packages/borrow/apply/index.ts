import type { QuoteOffer, RepaymentMethod, SignableQuote } from '../../../../typings/loan';
import { scheduleRows, type ScheduleRow } from '../../../components/wl-schedule/rows';
import { backendConfig } from '../../../config';
import type { LoanPurposeCode } from '../../../../typings/loan';
import { LOAN_PURPOSES } from '../../../shared/loan-purposes';
import { messageOf, promisesHelp } from '../../../services/errors';
import { CREDIT_INQUIRY_TEXT, CREDIT_INQUIRY_VERSION } from '../../../shared/credit-inquiry-authorisation';
import {
  applyForLoan,
  authoriseCreditInquiry,
  getOfferAndCreditInquiry,
  quoteLoan,
} from '../../../services/loan';
import { deviceId } from '../../../utils/device-id';
import { aprPercent, methodLabel, yuan } from '../../../utils/format';
import { stateOf } from '../../../utils/instance-state';
import type { LoadStatus } from '../../../utils/load-status';
import { randomToken } from '../../../utils/random-token';
import { ROUTES } from '../../../utils/routes';
import { requestSubscriptions } from '../../../utils/wechat';
import { parseYuanInput } from '../../../utils/yuan-input';

/** Non-render state: the priced loan being offered and the idempotency key of this exact request. */
interface Private {
  offer?: QuoteOffer;
  /** The priced loan with the agreement the server filled for it: the one the borrower signs. */
  quote?: SignableQuote;
  /** Kept across retries of the same request; a new one once the borrower changes the request. */
  requestId?: string;
  /** Only the newest quote request may update the page. */
  quoteSeq: number;
  /** The credit-inquiry authorisation the server accepts (from `quote`). */
  creditInquiry?: { version: string; sha256: string };
  /** Set once the server recorded the borrower's authorisation from this page. */
  creditInquiryRecorded?: boolean;
}

const privateOf = (page: object): Private => stateOf<Private>(page, () => ({ quoteSeq: 0 }));

/** The cost box, sticky bar and agreement as shown for one priced loan (every figure from the server). */
function costView(quote: SignableQuote): Record<string, unknown> {
  return {
    quoteApr: aprPercent(quote.aprBps),
    quoteTotal: yuan(quote.totalRepayment),
    quoteInterest: yuan(quote.totalInterest),
    quoteFees: yuan(quote.otherFees),
    lenderName: quote.lenderName,
    firstDueDate: quote.firstDueDate,
    schedule: scheduleRows(quote.schedule, quote.dueDates),
    agreementText: quote.agreement.text,
    agreementVersion: quote.agreement.version,
  };
}

/** What the page shows while no loan is priced. */
const NO_COST = {
  quoteApr: '',
  quoteTotal: '',
  quoteInterest: '',
  quoteFees: '',
  lenderName: '',
  firstDueDate: '',
  schedule: [] as ScheduleRow[],
  agreementText: '',
  agreementVersion: '',
};

/**
 * Application: amount first, then the cost box (annual rate as large as the amount, totals, fees, lender,
 * first due date; the dated schedule one tap away), term, method, purpose, the agreement the server filled
 * for this loan, the credit-inquiry authorisation (征信查询授权, its own consent, recorded before the
 * application), and a sticky bar repeating rate and total next to submit.
 */
Component({
  data: {
    load: 'loading' as LoadStatus,
    error: '',
    range: '',
    apr: '',
    terms: [] as number[],
    methods: [] as Array<{ value: RepaymentMethod; label: string }>,
    purposes: LOAN_PURPOSES.map((p) => ({ value: p.code as string, label: p.label as string })),
    amountText: '',
    termMonths: 0,
    method: 'equal_instalment' as RepaymentMethod,
    purpose: '' as LoanPurposeCode | '',
    purposeDescription: '',
    quoting: false,
    quoteError: '',
    ...NO_COST,
    showSchedule: false,
    agreed: false,
    creditInquiryText: CREDIT_INQUIRY_TEXT,
    creditInquiryVersion: '',
    creditAuthorised: false,
    submitting: false,
    submitError: '',
    /** The refusal promises help (联系客服): offer it right there. */
    needsHelp: false,
  },
  methods: {
    onLoad() {
      void this.refresh();
    },
    async refresh() {
      this.setData({ load: 'loading', error: '' });
      try {
        const { offer, creditInquiry } = await getOfferAndCreditInquiry();
        // The text shown is this package's copy: it must be the version the server records.
        if (creditInquiry.version !== CREDIT_INQUIRY_VERSION) {
          this.setData({ load: 'error', error: '《征信查询授权书》已更新，请关闭小程序后重新打开' });
          return;
        }
        privateOf(this).offer = offer;
        privateOf(this).creditInquiry = creditInquiry;
        this.setData({
          creditInquiryVersion: creditInquiry.version,
          load: 'ready',
          range: `${yuan(offer.minAmount)} – ${yuan(offer.maxAmount)}`,
          apr: aprPercent(offer.aprBps),
          terms: offer.terms,
          termMonths: offer.terms[0] ?? 0,
          methods: offer.methods.map((value) => ({ value, label: methodLabel(value) })),
          method: offer.methods[0] ?? 'equal_instalment',
        });
      } catch (error) {
        this.setData({ load: 'error', error: messageOf(error) });
      }
    },
    /** The request changed: forget the old price and idempotency key, price the new one. */
    changed(patch: Record<string, unknown>) {
      const own = privateOf(this);
      own.requestId = undefined;
      own.quote = undefined;
      // A new price is a new agreement: the borrower must read and accept it again.
      this.setData({ ...patch, ...NO_COST, submitError: '', agreed: false });
      void this.requote();
    },
    onAmountInput(event: { detail: string }) {
      this.changed({ amountText: event.detail });
    },
    onPickTerm(event: WechatMiniprogram.BaseEvent) {
      this.changed({ termMonths: Number(event.currentTarget.dataset.value) });
    },
    onPickMethod(event: WechatMiniprogram.BaseEvent) {
      this.changed({ method: String(event.currentTarget.dataset.value) as RepaymentMethod });
    },
    onPickPurpose(event: WechatMiniprogram.BaseEvent) {
      privateOf(this).requestId = undefined;
      this.setData({ purpose: String(event.currentTarget.dataset.value) as LoanPurposeCode });
    },
    onDescriptionInput(event: { detail: string }) {
      privateOf(this).requestId = undefined;
      this.setData({ purposeDescription: event.detail });
    },
    onToggleSchedule() {
      this.setData({ showSchedule: !this.data.showSchedule });
    },
    onToggleAgreement(event: { detail: boolean }) {
      this.setData({ agreed: event.detail });
    },
    /** van-checkbox `change`: its detail is the new checked state. */
    onCreditInquiryChange(event: { detail: unknown }) {
      this.setData({ creditAuthorised: event.detail === true });
    },
    async requote() {
      const own = privateOf(this);
      const seq = ++own.quoteSeq;
      const amount = parseYuanInput(this.data.amountText);
      if (amount === undefined) {
        this.setData({ quoteError: this.data.amountText ? '请输入正确的金额（元）' : '' });
        return;
      }
      this.setData({ quoting: true, quoteError: '' });
      try {
        const quote = await quoteLoan(amount, this.data.termMonths, this.data.method);
        if (seq !== own.quoteSeq) return;
        own.quote = quote;
        this.setData({ quoting: false, ...costView(quote) });
      } catch (error) {
        if (seq === own.quoteSeq) this.setData({ quoting: false, quoteError: messageOf(error) });
      }
    },
    /** First reason the application cannot be sent yet, or ''. */
    problem(): string {
      if (!privateOf(this).quote) return this.data.quoteError || '请先输入借款金额并查看还款计划';
      if (!this.data.purpose) return '请选择借款用途';
      if (!this.data.agreed) return '请阅读并同意借款协议';
      if (!this.data.creditAuthorised) return '请阅读并同意《征信查询授权书》';
      return '';
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const problem = this.problem();
      if (problem) {
        this.setData({ submitError: problem });
        return;
      }
      const own = privateOf(this);
      const quote = own.quote;
      if (!quote || !this.data.purpose) return;
      own.requestId ??= randomToken();
      this.setData({ submitting: true, submitError: '' });
      // Must be asked inside the tap; the answer never blocks the application.
      await requestSubscriptions(backendConfig.subscribeTemplateIds);
      try {
        // The authorisation is recorded before the application: no credit data is read without it.
        const inquiry = own.creditInquiry;
        if (inquiry && !own.creditInquiryRecorded) {
          await authoriseCreditInquiry({ version: inquiry.version, textSha256: inquiry.sha256 });
          own.creditInquiryRecorded = true;
        }
        const answer = await applyForLoan({
          requestId: own.requestId,
          amount: quote.amount,
          termMonths: quote.termMonths,
          method: quote.method,
          purpose: this.data.purpose,
          ...(this.data.purposeDescription.trim()
            ? { purposeDescription: this.data.purposeDescription.trim() }
            : {}),
          deviceFingerprint: deviceId(),
          consent: { accepted: true, version: quote.agreement.version, textSha256: quote.agreement.sha256 },
        });
        wx.redirectTo({ url: ROUTES.progress(answer.applicationId) });
      } catch (error) {
        this.setData({ submitError: messageOf(error), needsHelp: promisesHelp(messageOf(error)) });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
