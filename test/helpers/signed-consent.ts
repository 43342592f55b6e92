import type { RepaymentMethod } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { loanAgreement } from '../../server/loan/agreement';
import { DEFAULT_LOAN_CONFIG } from '../../server/loan/config';
import { quoteLoan, quoteOffer } from '../../server/loan/quote';
import { DEFAULT_LIMITS } from '../../server/limits/policy';

/**
 * The consent a borrower gives to the agreement `loan.quote` serves for these figures at `now` on the
 * default product (what the apply page sends after reading it). Figures outside the offer have no
 * agreement; they get an all-zero hash, since `apply` refuses them before it reads the consent.
 */
export function signedConsent(
  amount: number,
  termMonths: number,
  method: RepaymentMethod,
  now: number,
): { accepted: true; version: string; textSha256: string } {
  const terms = {
    version: DEFAULT_LOAN_CONFIG.agreementVersion,
    lenderName: DEFAULT_LOAN_CONFIG.lenderName,
    now,
  };
  let textSha256 = '0'.repeat(64);
  try {
    const offer = quoteOffer(DEFAULT_LOAN_CONFIG, DEFAULT_LIMITS);
    textSha256 = loanAgreement(quoteLoan(offer, amount as Fen, termMonths, method), terms).sha256;
  } catch {
    // Outside the offer: refused by `apply` before the consent is checked.
  }
  return { accepted: true, version: terms.version, textSha256 };
}
