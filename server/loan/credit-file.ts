import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { CreditGap, CreditProfile } from '../risk/inputs';
import { creditInquiryInForce } from './credit-consent';
import type { LoanDeps } from './deps';

/** The credit part of a decision's sources: the file (null for a thin file) or why there is none. */
export interface CreditSources {
  credit: CreditProfile | null;
  creditGap?: CreditGap;
}

/**
 * Reads the verified borrower's credit file (HTTP, outside any transaction). Without a current
 * credit-inquiry authorisation the bureau is NOT called and the gap says so; an unavailable bureau
 * answers the gap with its cause. Both send the application to manual review.
 */
export async function readCreditFile(
  deps: LoanDeps,
  borrower: Pick<BorrowerDoc, '_id' | 'identity' | 'creditInquiry'>,
): Promise<CreditSources> {
  const identity = borrower.identity;
  const authorisation = creditInquiryInForce(borrower);
  if (!identity || !authorisation)
    return { credit: null, creditGap: { code: 'CREDIT_INQUIRY_NOT_AUTHORISED' } };
  const answer = await deps.credit.lookup({
    openid: borrower._id,
    idHash: identity.idHash,
    encrypted: { name: identity.encrypted.name, idNumber: identity.encrypted.idNumber },
    authorisation,
  });
  if (answer.status === 'found') return { credit: answer.profile };
  if (answer.status === 'none') return { credit: null };
  return { credit: null, creditGap: { code: 'CREDIT_BUREAU_UNAVAILABLE', cause: answer.cause } };
}
