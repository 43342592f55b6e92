import { LOAN_AGREEMENT_TEXT, LOAN_AGREEMENT_VERSION } from './loan-agreement-text';

/**
 * SHA-256 of LOAN_AGREEMENT_TEXT (UTF-8), sent with the borrower's consent as evidence of the exact
 * text shown. Precomputed because the mini-program has no hash API; a test recomputes it, so a text
 * change without a new hash (and version) fails the suite.
 */
export const LOAN_AGREEMENT_SHA256 = '4b5478ba56f0fb31e629400145a2c0a49e158a6d16e57a34fdbbf8a534693ceb';

/** The agreement as the application page shows and signs it. */
export const LOAN_AGREEMENT = {
  version: LOAN_AGREEMENT_VERSION,
  text: LOAN_AGREEMENT_TEXT,
  sha256: LOAN_AGREEMENT_SHA256,
} as const;
