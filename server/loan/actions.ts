import { z } from 'zod';
import { action } from '../runtime/handler';
import { AppError } from '../runtime/app-error';
import type { Caller } from '../runtime/caller';
import { applyForLoan, applyInput } from './apply';
import {
  appealApplication,
  applicationIdSchema,
  cancelApplication,
  getApplication,
  listApplications,
} from './borrower-actions';
import type { LoanDeps } from './deps';
import { parseAmount } from './amount';
import { agreementTerms } from './apply';
import { signableQuote } from './agreement';
import { quoteLoan, quoteOffer } from './quote';
import { reviewApplication } from './review';
import { applicationView } from './view';
import { authoriseCreditInquiry, creditInquiryInput, currentCreditInquiry } from './credit-consent';

/** The borrower's openid, from the platform context only. */
function borrowerOf(caller: Caller): string {
  if (!caller.openid) throw new AppError('NOT_A_BORROWER', '请在小程序内使用借款服务');
  return caller.openid;
}

/** Runs after a change has committed (e.g. asking `notify` to deliver); never inside a transaction. */
export type AfterChange = (applicationId: string) => Promise<void>;

/** The `loan` function's actions: quote, authoriseCreditInquiry, apply, get, list, cancel, appeal. */
export function loanActions(deps: () => LoanDeps, afterChange: AfterChange) {
  return {
    quote: action({
      input: z.strictObject({
        amount: z.unknown().optional(),
        termMonths: z.number().int().min(1).max(60).optional(),
        method: z.enum(['equal_instalment', 'equal_principal']).optional(),
      }),
      run: async (input) => {
        const d = deps();
        const offer = quoteOffer(d.config, d.limits);
        // The credit-inquiry authorisation the apply page shows next to the agreement.
        const creditInquiry = currentCreditInquiry();
        if (input.amount === undefined) return { offer, creditInquiry };
        const amount = parseAmount(input.amount);
        const priced = quoteLoan(
          offer,
          amount,
          input.termMonths ?? offer.terms[0] ?? 3,
          input.method ?? 'equal_instalment',
        );
        return { offer, creditInquiry, quote: signableQuote(priced, agreementTerms(d)) };
      },
    }),
    authoriseCreditInquiry: action({
      input: creditInquiryInput,
      run: async (input, caller) =>
        authoriseCreditInquiry(
          deps(),
          { openid: borrowerOf(caller), clientIp: caller.clientIp ?? null },
          input,
        ),
    }),
    apply: action({
      input: applyInput,
      run: async (input, caller) => {
        const openid = borrowerOf(caller);
        const d = deps();
        const answer = await applyForLoan(d, input, { openid, clientIp: caller.clientIp ?? null });
        // Normally decided inside `apply`'s own transaction. Without a credit answer it is stored
        // `submitted`: the review runs once more here, then the review timer picks it up.
        // The answer goes out as soon as the decision is stored: the payout of an approval starts at
        // the progress page's first `payout.progress` (reconcile timer as backstop) and the queued
        // notification goes out with the notify timer — both durable, neither makes the borrower wait.
        let stored = answer.application;
        if (!answer.replayed && answer.status === 'submitted') {
          await reviewApplication(d, answer.applicationId).catch((error: Error) =>
            console.error(`[review] deferred: ${error.name}`),
          );
          stored = undefined;
        }
        return {
          applicationId: answer.applicationId,
          replayed: answer.replayed,
          application: stored
            ? applicationView(stored, d.config)
            : await getApplication(d, openid, answer.applicationId),
        };
      },
    }),
    get: action({
      input: z.strictObject({ applicationId: applicationIdSchema }),
      run: async (input, caller) => getApplication(deps(), borrowerOf(caller), input.applicationId),
    }),
    list: action({
      input: z.strictObject({
        offset: z.number().int().min(0).max(10_000).default(0),
        limit: z.number().int().min(1).max(20).default(20),
      }),
      run: async (input, caller) => listApplications(deps(), borrowerOf(caller), input),
    }),
    cancel: action({
      input: z.strictObject({
        applicationId: applicationIdSchema,
        expectedVersion: z.number().int().positive().optional(),
      }),
      run: async (input, caller) => {
        const view = await cancelApplication(
          deps(),
          borrowerOf(caller),
          input.applicationId,
          input.expectedVersion,
        );
        await afterChange(input.applicationId);
        return view;
      },
    }),
    appeal: action({
      input: z.strictObject({
        applicationId: applicationIdSchema,
        reason: z.string().trim().min(1).max(200),
      }),
      run: async (input, caller) => {
        const view = await appealApplication(deps(), borrowerOf(caller), input.applicationId, input.reason);
        await afterChange(input.applicationId);
        return view;
      },
    }),
  };
}
