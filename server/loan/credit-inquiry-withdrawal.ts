import type { ConsentRecordView } from '../../typings/identity';
import { appendAudit } from '../audit/audit-log';
import type { BorrowerDoc, WithdrawnCreditInquiry } from '../borrowers/borrower-doc';
import { AppError } from '../runtime/app-error';
import type { StoredDoc } from '../storage/doc-store';
import { BORROWERS } from './application-doc';
import { creditInquiryView, creditInquiryViews } from './credit-inquiry-view';
import type { LoanDeps } from './deps';

/** The refusal of a withdrawal when the borrower never gave the authorisation. */
function neverGiven(): AppError {
  return new AppError('CREDIT_INQUIRY_NOT_FOUND', '您尚未授权《征信查询授权书》，无需撤回');
}

/**
 * Withdraws the borrower's credit-inquiry authorisation in one transaction: removes it from the
 * borrower document, appends it with `withdrawnAt` to `creditInquiryHistory` and audits
 * `credit.inquiry_withdrawn`. New applications then need it again; a stored application's review
 * no longer reads credit data. With none stored it answers the last withdrawal again, or refuses
 * CREDIT_INQUIRY_NOT_FOUND when it was never given.
 */
export async function withdrawCreditInquiry(deps: LoanDeps, openid: string): Promise<ConsentRecordView> {
  return deps.store.transact(async (tx) => {
    const found = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, openid);
    const given = found?.creditInquiry;
    if (!found || !given) {
      const last = creditInquiryViews(found)[0];
      if (!last) throw neverGiven();
      return last;
    }
    const now = deps.clock.now();
    const withdrawn: WithdrawnCreditInquiry = { ...given, withdrawnAt: now };
    const updated: BorrowerDoc & StoredDoc = {
      ...found,
      creditInquiryHistory: [...(found.creditInquiryHistory ?? []), withdrawn],
      version: found.version + 1,
      updatedAt: now,
    };
    delete updated.creditInquiry;
    await tx.put(BORROWERS, updated);
    await appendAudit(tx, {
      at: now,
      actor: openid,
      actorType: 'borrower',
      event: 'credit.inquiry_withdrawn',
      subject: `borrower:${openid}`,
      outcome: 'success',
      details: { version: given.version, textSha256: given.textSha256, authorisedAt: given.at },
    });
    return creditInquiryView(given, now, true);
  });
}
