import { z } from 'zod';
import type { LoanStatus } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { appendAudit } from '../audit/audit-log';
import type { StoredDoc } from '../audit/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { AppError } from '../runtime/app-error';
import { monitorApplication } from '../risk/aml-monitor';
import { bannedPurposeWord, PURPOSES } from '../risk/purpose';
import { recordLinks, sha256Hex } from '../risk/signals';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from './application-doc';
import type { LoanDeps } from './deps';
import { parseAmount } from './amount';
import { loanAgreement, type AgreementTerms } from './agreement';
import { quoteLoan, quoteOffer } from './quote';
import { STATUS_LABELS } from './transitions';

/** Input of `apply` (strict: status, riskScore, approvedBy … are refused). */
export const applyInput = z.strictObject({
  /** Client-chosen idempotency key, saved before submitting; a repeat returns the first answer. */
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** Validated by parseAmount for a specific error code. */
  amount: z.unknown(),
  termMonths: z.number().int().min(1).max(60),
  method: z.enum(['equal_instalment', 'equal_principal']),
  purpose: z.enum(PURPOSES),
  /** Free-text description of the purpose (checked against banned uses). */
  purposeDescription: z.string().max(100).optional(),
  /** Client device fingerprint; stored only hashed. */
  deviceFingerprint: z.string().min(8).max(128),
  consent: z.strictObject({
    accepted: z.literal(true),
    version: z.string().min(1).max(32),
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

/** Validated apply input. */
export type ApplyInput = z.infer<typeof applyInput>;

/** What `apply` answers. */
export interface ApplyAnswer {
  applicationId: string;
  /** True when this call repeated an earlier requestId. */
  replayed: boolean;
  status: LoanStatus;
}

/** The agreement terms in force now: version, lender and the clock's instant. */
export function agreementTerms(deps: LoanDeps): AgreementTerms {
  return { version: deps.config.agreementVersion, lenderName: deps.config.lenderName, now: deps.clock.now() };
}

/** The application id for one borrower's requestId: a repeat lands on the same document. */
export function applicationIdFor(openid: string, requestId: string): string {
  return sha256Hex(`${openid}\u0000${requestId}`).slice(0, 32);
}

/** What identifies an apply request's content, to refuse a requestId reused for another request. */
function requestFingerprint(input: ApplyInput, amount: number): string {
  return sha256Hex(
    JSON.stringify([amount, input.termMonths, input.method, input.purpose, input.purposeDescription ?? '']),
  );
}

/**
 * Creates the borrower's application: validates amount, term, purpose and consent; then in one
 * transaction touches the borrower document (one active application, safe against simultaneous
 * applies), records device/IP links and AML totals, writes the application and its audit record.
 */
export async function applyForLoan(
  deps: LoanDeps,
  input: ApplyInput,
  borrower: { openid: string; clientIp: string | null },
): Promise<ApplyAnswer> {
  const amount = parseAmount(input.amount);
  const offer = quoteOffer(deps.config, deps.limits);
  const priced = quoteLoan(offer, amount, input.termMonths, input.method);
  if (input.purposeDescription && bannedPurposeWord(input.purposeDescription)) {
    throw new AppError(
      'PURPOSE_BANNED',
      '借款不得用于购买虚拟货币、赌博、炒股等投资投机或购房首付，请修改借款用途',
    );
  }
  if (input.consent.version !== deps.config.agreementVersion) {
    throw new AppError('AGREEMENT_OUTDATED', '借款协议已更新，请重新阅读并同意最新版本');
  }
  // The only text a borrower can sign is the one `quote` served for these figures today.
  const agreement = loanAgreement(priced, agreementTerms(deps));
  if (input.consent.textSha256 !== agreement.sha256) {
    throw new AppError(
      'AGREEMENT_CHANGED',
      '借款协议内容已变化（金额、期限或还款日），请重新阅读协议后再提交',
    );
  }
  const id = applicationIdFor(borrower.openid, input.requestId);
  const fingerprint = requestFingerprint(input, amount);
  return deps.store.transact(async (tx) => {
    const now = deps.clock.now();
    const existing = await tx.get<ApplicationDoc & { requestFingerprint?: string }>(APPLICATIONS, id);
    if (existing) {
      if (existing.requestFingerprint !== fingerprint) {
        throw new AppError('REQUEST_ID_REUSED', '该请求编号已用于另一笔申请，请重新提交');
      }
      return { applicationId: id, replayed: true, status: existing.status };
    }
    const found = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, borrower.openid);
    if (!found?.identity) throw new AppError('IDENTITY_NOT_VERIFIED', '请先完成实名认证');
    if (found.frozen) throw new AppError('BORROWER_FROZEN', '您的账户暂时受限，请联系客服');
    if (found.activeApplicationId !== null)
      throw new AppError('ACTIVE_APPLICATION_EXISTS', '您已有一笔进行中的借款申请');
    const idHash = found.identity.idHash;
    const deviceHash = sha256Hex(input.deviceFingerprint);
    await recordLinks(tx, {
      deviceHash,
      clientIp: borrower.clientIp,
      openid: borrower.openid,
      idHash,
      at: now,
    });
    const monitored = await monitorApplication(
      tx,
      { idHash, openid: borrower.openid, applicationId: id, amount, maxOffer: offer.maxAmount, at: now },
      found,
      deps.aml,
    );
    const application: ApplicationDoc & { requestFingerprint: string } = {
      _id: id,
      openid: borrower.openid,
      status: 'submitted',
      version: 1,
      amount: amount as Fen,
      termMonths: input.termMonths,
      method: input.method,
      purpose: input.purpose,
      ...(input.purposeDescription ? { purposeDescription: input.purposeDescription } : {}),
      aprBps: offer.aprBps,
      deviceHash,
      idHash,
      consent: {
        version: input.consent.version,
        textSha256: agreement.sha256,
        text: agreement.text,
        at: now,
        clientIp: borrower.clientIp,
        signer: borrower.openid,
      },
      requestId: input.requestId,
      requestFingerprint: fingerprint,
      createdAt: now,
      updatedAt: now,
      timeline: [{ at: now, status: 'submitted', note: STATUS_LABELS.submitted }],
      claimedBy: null,
      firstApproval: null,
    };
    await tx.put(APPLICATIONS, application);
    const b = monitored.borrower;
    await tx.put(BORROWERS, { ...b, activeApplicationId: id, version: b.version + 1, updatedAt: now });
    await appendAudit(tx, {
      at: now,
      actor: borrower.openid,
      actorType: 'borrower',
      event: 'application.submitted',
      subject: `application:${id}`,
      outcome: 'success',
      details: {
        to: 'submitted',
        version: 1,
        amount,
        termMonths: input.termMonths,
        method: input.method,
        purpose: input.purpose,
        agreementVersion: input.consent.version,
        agreementSha256: input.consent.textSha256,
      },
    });
    return { applicationId: id, replayed: false, status: 'submitted' as LoanStatus };
  });
}
