import { appendAudit, recordAudit } from '../audit/audit-log';
import { verifyAudit, type AuditVerdict } from '../audit/verify';
import type { StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { BORROWERS } from '../loan/application-doc';
import { IDENTITY_COLLECTIONS, type IdentityIndexDoc } from '../identity/records';
import { BLACKLIST, type BlacklistDoc } from '../loan/blacklist';
import type { LoanDeps } from '../loan/deps';
import { markBlockedPayout } from '../payout/block-mark';
import { AML_REPORTS, type AmlReportDoc } from '../risk/aml-monitor';
import { AppError } from '../runtime/app-error';
import { requireTableRole, type Operator } from './operator-auth';

/** Reads a borrower inside a transaction or refuses. */
async function borrowerOf(
  get: (c: string, id: string) => Promise<(BorrowerDoc & StoredDoc) | undefined>,
  openid: string,
): Promise<BorrowerDoc & StoredDoc> {
  const borrower = await get(BORROWERS, openid);
  if (!borrower) throw new AppError('BORROWER_NOT_FOUND', '未找到该借款人');
  return borrower;
}

/** Loans whose open bill the change marked for cancellation (requested from WeChat after the commit). */
export interface BlockEffects {
  markedLoanIds: string[];
}

/**
 * Freezes or unfreezes a borrower (frozen borrowers cannot apply or be paid). Freezing marks the
 * borrower's open unconfirmed bill for cancellation in the same transaction; unfreezing never
 * clears that mark.
 */
export async function setFrozen(
  deps: LoanDeps,
  operator: Operator,
  openid: string,
  frozen: boolean,
  reason: string,
  reasonCode?: string,
): Promise<{ openid: string; frozen: boolean } & BlockEffects> {
  requireTableRole(operator, frozen ? 'freeze' : 'unfreeze');
  return deps.store.transact(async (tx) => {
    const borrower = await borrowerOf((c, id) => tx.get(c, id), openid);
    const now = deps.clock.now();
    const next: BorrowerDoc & StoredDoc = {
      ...borrower,
      frozen,
      version: borrower.version + 1,
      updatedAt: now,
    };
    if (frozen) next.frozenReason = reason;
    else delete next.frozenReason;
    const marked = frozen
      ? await markBlockedPayout(tx, borrower.activeApplicationId, 'BORROWER_FROZEN', now)
      : undefined;
    await tx.put(BORROWERS, next);
    await appendAudit(tx, {
      at: now,
      actor: operator.id,
      actorType: 'operator',
      event: frozen ? 'borrower.frozen' : 'borrower.unfrozen',
      subject: `borrower:${openid}`,
      outcome: 'success',
      details: {
        reasonCode: reasonCode ?? null,
        reasonLength: Array.from(reason).length,
        ...(marked ? { payoutCancelMarked: marked } : {}),
      },
    });
    return { openid, frozen, markedLoanIds: marked ? [marked] : [] };
  });
}

/**
 * Adds or removes a borrower's identity (by blind index) on the blacklist. Adding marks the
 * borrower's open unconfirmed bill for cancellation in the same transaction.
 */
export async function setBlacklisted(
  deps: LoanDeps,
  operator: Operator,
  openid: string,
  listed: boolean,
  reason: string,
  reasonCode?: string,
): Promise<{ openid: string; blacklisted: boolean } & BlockEffects> {
  requireTableRole(operator, 'blacklist');
  return deps.store.transact(async (tx) => {
    const borrower = await borrowerOf((c, id) => tx.get(c, id), openid);
    const idHash = borrower.identity?.idHash;
    if (!idHash) throw new AppError('IDENTITY_NOT_VERIFIED', '该借款人尚未实名，无法按身份列入黑名单');
    const now = deps.clock.now();
    const entry: BlacklistDoc = { _id: idHash, active: listed, reason, by: operator.id, at: now };
    const marked = listed
      ? await markBlockedPayout(tx, borrower.activeApplicationId, 'BORROWER_BLACKLISTED', now)
      : undefined;
    await tx.put(BLACKLIST, entry);
    // Every borrower of this identity carries the flag the money gate and apply read.
    const index = await tx.get<IdentityIndexDoc>(IDENTITY_COLLECTIONS.index, idHash);
    // A closed account's index owner is null: only live holders carry the flag.
    const holders = index ? [index.openid, ...index.sharedWith] : [];
    const openids = new Set([openid, ...holders.filter((h): h is string => h !== null)]);
    for (const holder of openids) {
      const doc = holder === openid ? borrower : await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, holder);
      if (doc)
        await tx.put(BORROWERS, { ...doc, blacklisted: listed, version: doc.version + 1, updatedAt: now });
    }
    await appendAudit(tx, {
      at: now,
      actor: operator.id,
      actorType: 'operator',
      event: listed ? 'blacklist.add' : 'blacklist.remove',
      subject: `borrower:${openid}`,
      outcome: 'success',
      details: {
        reasonCode: reasonCode ?? null,
        reasonLength: Array.from(reason).length,
        ...(marked ? { payoutCancelMarked: marked } : {}),
      },
    });
    return { openid, blacklisted: listed, markedLoanIds: marked ? [marked] : [] };
  });
}

/** Reveals a borrower's full personal data to a role the table allows (supervisors), only with a stated reason (audited first). */
export async function revealBorrower(
  deps: LoanDeps,
  reveal: ((openid: string) => Promise<unknown>) | undefined,
  operator: Operator,
  openid: string,
  reason: string,
  reasonCode?: string,
): Promise<unknown> {
  requireTableRole(operator, 'reveal');
  if (!reveal) throw new AppError('REVEAL_UNAVAILABLE', '身份信息查看功能暂不可用');
  const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, openid);
  if (!borrower?.identity) throw new AppError('BORROWER_NOT_FOUND', '未找到该借款人的实名信息');
  await recordAudit(deps.store, {
    at: deps.clock.now(),
    actor: operator.id,
    actorType: 'operator',
    event: 'borrower.reveal',
    subject: `borrower:${openid}`,
    outcome: 'success',
    // The reason is the operator's own words about a case: kept, as it justifies the access.
    details: { reasonCode: reasonCode ?? null, reason },
  });
  return reveal(openid);
}

/** Verifies every audit chain and seal end to end and records that it was checked. */
export async function verifyAuditChain(deps: LoanDeps, operator: Operator): Promise<AuditVerdict> {
  const verdict = await verifyAudit(deps.store);
  await recordAudit(deps.store, {
    at: deps.clock.now(),
    actor: operator.id,
    actorType: 'operator',
    event: 'audit.verify',
    subject: 'audit',
    outcome: 'success',
    details: verdict.ok
      ? { ok: true, chains: verdict.chains, records: verdict.records, seals: verdict.seals }
      : { ok: false, brokenAt: verdict.brokenAt, reason: verdict.reason },
  });
  return verdict;
}

/** Open AML reports, oldest first (compliance reading: the roles the table names, supervisor and auditor). */
export async function amlReports(
  deps: LoanDeps,
  operator: Operator,
  page: { offset: number; limit: number },
): Promise<AmlReportDoc[]> {
  requireTableRole(operator, 'amlReports');
  return deps.store.find<AmlReportDoc>(
    AML_REPORTS,
    { status: 'open' },
    { orderBy: { field: 'filedAt', direction: 'asc' }, limit: page.limit, skip: page.offset },
  );
}
