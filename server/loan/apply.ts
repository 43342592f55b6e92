import { z } from 'zod';
import type { LoanStatus } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { appendAudit } from '../audit/audit-log';
import { DocumentExistsError, type StoredDoc, type TxDocs } from '../storage/doc-store';
import { accountClosedRefusal, applyBlockRefusal } from '../borrowers/apply-block';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { AppError } from '../runtime/app-error';
import { monitorApplication } from '../risk/aml-monitor';
import { bannedPurposeWord, PURPOSES } from '../risk/purpose';
import { decideApplication } from '../risk/decide';
import { borrowerAndLinked, coHolders, linkCounts, sha256Hex, withLinks } from '../risk/signals';
import { enqueueNotification } from '../outbox/enqueue';
import { slotTakenError } from './active-slot';
import { REVIEWER, riskInputsOf, type DecisionSources } from './review';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from './application-doc';
import type { LoanDeps } from './deps';
import { parseAmount } from './amount';
import { loanAgreement, type AgreementTerms } from './agreement';
import { quoteLoan, quoteOffer } from './quote';
import { creditInquiryInForce, creditInquiryRequired } from './credit-consent';
import { readCreditFile } from './credit-file';
import { canTransition, isActive, STATUS_LABELS } from './transitions';

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

/** The application as `apply` stored it, for the answer (no read back). */
export interface AppliedAnswer extends ApplyAnswer {
  application?: ApplicationDoc;
}

/**
 * Creates the borrower's application and, when every source answers, decides it in the same
 * transaction. Round trips: the borrower with the borrowers linked by device or IP-day (one query)
 * and WeChat's risk rank are read in parallel; the other holders of the borrower's identity (for the
 * identity's AML totals) are read while the bureau answers for the credit file; the transaction reads
 * the borrower once more (its guard: one active application, safe against simultaneous applies),
 * scores in memory and writes once — the new application (inserted: a repeated requestId cannot
 * create it twice) with its audit chain's head, its audit records (one call), its notification and
 * the borrower (active application, links, AML totals, blacklist mirror). Without a credit answer
 * it stores `submitted` and the review (inline retry, then the timer) decides.
 * The credit file is read only with the borrower's credit-inquiry authorisation in force (else the
 * apply is refused with CREDIT_INQUIRY_NOT_AUTHORISED); an unavailable bureau decides manual review.
 */
export async function applyForLoan(
  deps: LoanDeps,
  input: ApplyInput,
  borrower: { openid: string; clientIp: string | null },
): Promise<AppliedAnswer> {
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
  const deviceHash = sha256Hex(input.deviceFingerprint);
  const link = { deviceHash, clientIp: borrower.clientIp, at: deps.clock.now() };
  // Outside the transaction, in parallel: the borrower (for the credit file) with the borrowers linked
  // by device or IP-day (one query), and WeChat's risk rank.
  const [{ self: before, others }, rank] = await Promise.all([
    borrowerAndLinked(deps.store, borrower.openid, link),
    deps.riskRank(borrower.openid, borrower.clientIp).catch(() => null),
  ]);
  const knownIdHash = before?.identity?.idHash;
  // The credit file only with the borrower's credit-inquiry authorisation (the page asks for it first).
  if (before?.identity && !creditInquiryInForce(before)) throw creditInquiryRequired();
  // While the bureau answers: the other holders of this identity, whose AML totals count with its own.
  // A source that throws (a bug, not an outage: outages answer `unavailable`) leaves it `submitted`.
  const [credit, holders] = await Promise.all([
    before?.identity ? readCreditFile(deps, before).catch(() => undefined) : undefined,
    knownIdHash ? coHolders(deps.store, borrower.openid, knownIdHash) : [],
  ]);
  try {
    return await deps.store.transact(async (tx) => {
      const now = deps.clock.now();
      const found = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, borrower.openid);
      if (found?.activeApplicationId === id) return replayOf(deps, id, fingerprint);
      // A closed account no longer holds a live identity: say it is closed, not unverified.
      const closed = accountClosedRefusal(found);
      if (closed) throw closed;
      if (!found?.identity) throw new AppError('IDENTITY_NOT_VERIFIED', '请先完成实名认证');
      if (found.frozen) throw new AppError('BORROWER_FROZEN', '您的账户暂时受限，请联系客服');
      const blocked = applyBlockRefusal(found);
      if (blocked) throw blocked;
      if (found.activeApplicationId !== null) {
        // A repeat of an earlier, finished request answers that request; anything else is refused.
        if (await deps.store.get(APPLICATIONS, id)) return replayOf(deps, id, fingerprint);
        throw await slotTakenError(tx, found.activeApplicationId);
      }
      const idHash = found.identity.idHash;
      const monitored = await monitorApplication(
        tx,
        { idHash, openid: borrower.openid, applicationId: id, amount, maxOffer: offer.maxAmount, at: now },
        { ...found, riskLinks: withLinks(found.riskLinks, link) },
        deps.aml,
        holders,
      );
      const submitted: ApplicationDoc & { requestFingerprint: string } = {
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
      // Inserted first, so the audit chain's head lands in it (no head document of its own).
      await tx.insert(APPLICATIONS, submitted);
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
      const b = monitored.borrower;
      // The decision needs the credit file of this identity; without it the review decides later.
      const decided =
        credit === undefined || knownIdHash !== idHash || !creditInquiryInForce(found)
          ? undefined
          : await decideInTransaction(tx, deps, submitted, {
              borrower: b,
              blacklisted: found.blacklisted === true,
              links: linkCounts(others, link, { openid: borrower.openid, idHash }),
              rank,
              ...credit,
            });
      const application = decided ?? submitted;
      await tx.put(APPLICATIONS, application);
      const active = isActive(application.status) ? id : null;
      await tx.put(BORROWERS, { ...b, activeApplicationId: active, version: b.version + 1, updatedAt: now });
      // As it will be stored (with its chain head): answered from the transaction's buffer, no call.
      const stored = (await tx.get<ApplicationDoc>(APPLICATIONS, id)) ?? application;
      return { applicationId: id, replayed: false, status: application.status, application: stored };
    });
  } catch (error) {
    // Someone stored this requestId's application first (a concurrent repeat): answer theirs.
    if (error instanceof DocumentExistsError) return replayOf(deps, id, fingerprint);
    throw error;
  }
}

/** The answer to a repeated requestId: the stored application, or a refusal when the content differs. */
async function replayOf(deps: LoanDeps, id: string, fingerprint: string): Promise<AppliedAnswer> {
  const existing = await deps.store.get<ApplicationDoc & { requestFingerprint?: string }>(APPLICATIONS, id);
  if (!existing) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  if (existing.requestFingerprint !== fingerprint) {
    throw new AppError('REQUEST_ID_REUSED', '该请求编号已用于另一笔申请，请重新提交');
  }
  return { applicationId: id, replayed: true, status: existing.status, application: existing };
}

/**
 * Scores a just-submitted application in memory and answers it decided (submitted → scoring →
 * outcome, with the stored decision); appends the decision's audit record and queues the
 * borrower's notification in `tx`.
 */
async function decideInTransaction(
  tx: TxDocs,
  deps: LoanDeps,
  app: ApplicationDoc & { requestFingerprint: string },
  sources: DecisionSources,
): Promise<ApplicationDoc & { requestFingerprint: string }> {
  const decision = decideApplication(riskInputsOf(deps, app, sources), deps.risk, app.createdAt);
  if (!canTransition('submitted', 'scoring') || !canTransition('scoring', decision.outcome))
    throw new Error(`transition table forbids submitted → scoring → ${decision.outcome}`);
  const at = decision.decidedAt;
  const next = {
    ...app,
    status: decision.outcome,
    version: 3,
    decision,
    updatedAt: at,
    timeline: [
      ...app.timeline,
      { at, status: 'scoring' as LoanStatus, note: STATUS_LABELS.scoring },
      { at, status: decision.outcome, note: STATUS_LABELS[decision.outcome] },
    ],
  };
  // One audit record per timeline entry, as every transition has.
  await appendAudit(tx, {
    at,
    actor: REVIEWER.id,
    actorType: REVIEWER.type,
    event: 'application.transition',
    subject: `application:${app._id}`,
    outcome: 'success',
    details: { from: 'submitted', to: 'scoring', version: 2 },
  });
  await appendAudit(tx, {
    at,
    actor: REVIEWER.id,
    actorType: REVIEWER.type,
    event: 'application.transition',
    subject: `application:${app._id}`,
    outcome: 'success',
    details: {
      from: 'scoring',
      to: decision.outcome,
      version: next.version,
      policyVersion: decision.policyVersion,
      score: decision.score,
      band: decision.band,
      rulesHit: decision.rulesHit,
      reasons: decision.reasons,
    },
  });
  await enqueueNotification(tx, {
    applicationId: app._id,
    version: next.version,
    openid: app.openid,
    status: decision.outcome,
    amount: app.amount,
    at,
  });
  return next;
}
