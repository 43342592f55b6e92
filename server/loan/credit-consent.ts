import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CREDIT_INQUIRY_TEXT, CREDIT_INQUIRY_VERSION } from '../../shared/credit-inquiry-authorisation';
import type { CreditInquiryAnswer } from '../../typings/loan';
import { appendAudit } from '../audit/audit-log';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { CreditInquiryConsent } from '../risk/credit-data';
import { AppError } from '../runtime/app-error';
import type { StoredDoc } from '../storage/doc-store';
import { BORROWERS } from './application-doc';
import type { LoanDeps } from './deps';

/** The authorisation borrowers give now: its version and the SHA-256 of its exact text. */
export function currentCreditInquiry(): { version: string; sha256: string } {
  return {
    version: CREDIT_INQUIRY_VERSION,
    sha256: createHash('sha256').update(CREDIT_INQUIRY_TEXT, 'utf8').digest('hex'),
  };
}

/** The borrower's authorisation when it is the current one; undefined when missing or outdated. */
export function creditInquiryInForce(
  borrower: Pick<BorrowerDoc, 'creditInquiry'> | undefined,
): CreditInquiryConsent | undefined {
  const given = borrower?.creditInquiry;
  const current = currentCreditInquiry();
  return given && given.version === current.version && given.textSha256 === current.sha256
    ? given
    : undefined;
}

/** The refusal of `apply` without an authorisation in force: the page asks for it. */
export function creditInquiryRequired(): AppError {
  return new AppError(
    'CREDIT_INQUIRY_NOT_AUTHORISED',
    '请先阅读并同意《征信查询授权书》，授权后我们才能查询您的征信并审核申请',
  );
}

/** Input of `authoriseCreditInquiry`: the version and hash the borrower was shown (from `quote`). */
export const creditInquiryInput = z.strictObject({
  version: z.string().min(1).max(32),
  textSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Records the borrower's credit-inquiry authorisation (征信查询授权) on their borrower document —
 * version, text hash, time and client IP from the platform — with an audit record; given before any
 * credit data is read. Authorising the same version again keeps the first record.
 */
export async function authoriseCreditInquiry(
  deps: LoanDeps,
  borrower: { openid: string; clientIp: string | null },
  input: z.infer<typeof creditInquiryInput>,
): Promise<CreditInquiryAnswer> {
  const current = currentCreditInquiry();
  if (input.version !== current.version || input.textSha256 !== current.sha256)
    throw new AppError('CREDIT_INQUIRY_OUTDATED', '《征信查询授权书》已更新，请重新阅读并同意');
  return deps.store.transact(async (tx) => {
    const found = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, borrower.openid);
    if (!found?.identity) throw new AppError('IDENTITY_NOT_VERIFIED', '请先完成实名认证');
    const existing = creditInquiryInForce(found);
    if (existing) return { version: existing.version, authorisedAt: existing.at };
    const now = deps.clock.now();
    const creditInquiry: CreditInquiryConsent = {
      version: current.version,
      textSha256: current.sha256,
      at: now,
      clientIp: borrower.clientIp,
    };
    await tx.put(BORROWERS, { ...found, creditInquiry, version: found.version + 1, updatedAt: now });
    await appendAudit(tx, {
      at: now,
      actor: borrower.openid,
      actorType: 'borrower',
      event: 'credit.inquiry_authorised',
      subject: `borrower:${borrower.openid}`,
      outcome: 'success',
      details: { version: current.version, textSha256: current.sha256 },
    });
    return { version: current.version, authorisedAt: now };
  });
}
