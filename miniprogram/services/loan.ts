import type {
  ApplicationView,
  CreditInquiryAnswer,
  CreditInquiryRequest,
  ApplyAnswer,
  LoanApplyRequest,
  SignableQuote,
  QuoteAnswer,
  QuoteOffer,
  RepaymentMethod,
} from '../../typings/loan';

export type { ApplyAnswer, LoanApplyRequest, QuoteAnswer };
import type { Fen } from '../../typings/money';
import { transportError } from './errors';
import { callAction } from './transport';

/** The amounts, terms and methods the borrower may choose from. */
export async function getOffer(): Promise<QuoteOffer> {
  return (await callAction<QuoteAnswer>('loan', 'quote')).offer;
}

/** The offer together with the credit-inquiry authorisation (version, hash) the server accepts now. */
export async function getOfferAndCreditInquiry(): Promise<Pick<QuoteAnswer, 'offer' | 'creditInquiry'>> {
  const answer = await callAction<QuoteAnswer>('loan', 'quote');
  return { offer: answer.offer, creditInquiry: answer.creditInquiry };
}

/** Records the borrower's credit-inquiry authorisation (征信查询授权); repeating it keeps the first record. */
export function authoriseCreditInquiry(request: CreditInquiryRequest): Promise<CreditInquiryAnswer> {
  return callAction<CreditInquiryAnswer>('loan', 'authoriseCreditInquiry', request);
}

/** Prices one loan and its schedule within the offer. */
export async function quoteLoan(
  amount: Fen,
  termMonths: number,
  method: RepaymentMethod,
): Promise<SignableQuote> {
  const answer = await callAction<QuoteAnswer>('loan', 'quote', { amount, termMonths, method });
  if (!answer.quote) throw transportError('BACKEND_UNAVAILABLE');
  return answer.quote;
}

/** Submits an application (safe to repeat with the same requestId). */
export function applyForLoan(request: LoanApplyRequest): Promise<ApplyAnswer> {
  return callAction<ApplyAnswer>('loan', 'apply', request);
}

/** One of the borrower's applications with its timeline. */
export function getApplication(applicationId: string): Promise<ApplicationView> {
  return callAction<ApplicationView>('loan', 'get', { applicationId });
}

/** The borrower's applications, newest first. */
export function listApplications(offset = 0, limit = 20): Promise<ApplicationView[]> {
  return callAction<ApplicationView[]>('loan', 'list', { offset, limit });
}

/** Withdraws an application that has not started paying out. */
export function cancelApplication(applicationId: string): Promise<ApplicationView> {
  return callAction<ApplicationView>('loan', 'cancel', { applicationId });
}

/** Asks for a human review of a rejection (PIPL art. 24). */
export function appealDecision(applicationId: string, reason: string): Promise<ApplicationView> {
  return callAction<ApplicationView>('loan', 'appeal', { applicationId, reason });
}
