import type { ApplicationView, LoanQuote, QuoteOffer, RepaymentMethod } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import type { LoanPurposeCode } from '../content/purposes';
import { transportError } from './errors';
import { callAction } from './transport';

/** What `loan.quote` answers: the offer, and the priced loan when an amount was given. */
export interface QuoteAnswer {
  offer: QuoteOffer;
  quote?: LoanQuote;
}

/** What the borrower submits to `loan.apply` (mirrors the function's strict input schema). */
export interface LoanApplyRequest {
  /** Idempotency key chosen once per form; a repeat returns the first answer. */
  requestId: string;
  amount: Fen;
  termMonths: number;
  method: RepaymentMethod;
  purpose: LoanPurposeCode;
  purposeDescription?: string;
  /** Stable per-install random id; the server stores only its hash. */
  deviceFingerprint: string;
  consent: { accepted: true; version: string; textSha256: string };
}

/** What `loan.apply` answers. */
export interface ApplyAnswer {
  applicationId: string;
  /** True when the same requestId had already been submitted. */
  replayed: boolean;
  application: ApplicationView;
}

/** The amounts, terms and methods the borrower may choose from. */
export async function getOffer(): Promise<QuoteOffer> {
  return (await callAction<QuoteAnswer>('loan', 'quote')).offer;
}

/** Prices one loan and its schedule within the offer. */
export async function quoteLoan(
  amount: Fen,
  termMonths: number,
  method: RepaymentMethod,
): Promise<LoanQuote> {
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
