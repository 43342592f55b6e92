import { maskMiddle } from '../../shared/masking';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { appendAudit } from '../audit/audit-log';
import { BORROWERS } from '../loan/application-doc';
import type { Operator } from '../ops/operator-auth';
import { AppError } from '../runtime/app-error';
import type { StoredDoc } from '../storage/doc-store';
import type { RepaymentDeps } from './deps';
import { REPAYMENT_COLLECTIONS as C, type PendingApproval, type RepaymentPlanDoc } from './plan-doc';

/** The indexed field the awaiting list reads (`repaymentPlans` index `pendingApproval_at`). */
export const PENDING_AT_FIELD = 'pendingApproval.at';

/** One repayment action awaiting its second operator, as an operator sees it: masked only. */
export interface AwaitingApprovalItem {
  loanId: string;
  approvalId: string;
  kind: PendingApproval['action'];
  /** Fen. */
  amount: number;
  maker: string;
  requestedAt: number;
  reasonCode: string;
  /** The maker's own words (waive, write-off); null for an offline repayment. */
  note: string | null;
  /** Offline repayments: the evidence reference with all but its ends hidden. */
  evidence: string | null;
  /** The borrower's masked name; null when never verified. */
  borrower: { maskedName: string } | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The amount of a pending action: stored by the gate, or (requests made before it stored one) its params. */
function amountOf(pending: PendingApproval): number {
  return pending.amount ?? (typeof pending.params.amount === 'number' ? pending.params.amount : 0);
}

/**
 * Repayment actions awaiting a second operator, oldest first, one page: read through the
 * `pendingApproval.at` index (plans without one are never examined), borrowers read in parallel.
 */
export async function awaitingApprovals(
  d: RepaymentDeps,
  page: { offset: number; limit: number },
): Promise<{ items: AwaitingApprovalItem[]; nextOffset: number | null }> {
  const plans = await d.docs.find<RepaymentPlanDoc & { pendingApproval: PendingApproval }>(
    C.plans,
    { [PENDING_AT_FIELD]: { $gte: 0 } },
    { orderBy: { field: PENDING_AT_FIELD, direction: 'asc' }, skip: page.offset, limit: page.limit + 1 },
  );
  const shown = plans.slice(0, page.limit);
  const borrowers = await Promise.all(
    shown.map((plan) => d.docs.get<BorrowerDoc & StoredDoc>(BORROWERS, plan.openid)),
  );
  const items = shown.map((plan, i): AwaitingApprovalItem => {
    const pending = plan.pendingApproval;
    const evidence = text(pending.params.evidence);
    const masked = borrowers[i]?.identity?.masked;
    return {
      loanId: plan._id,
      approvalId: pending.id,
      kind: pending.action,
      amount: amountOf(pending),
      maker: pending.maker,
      requestedAt: pending.at,
      reasonCode: text(pending.params.reasonCode) ?? '',
      note: text(pending.params.note),
      evidence: evidence === null ? null : maskMiddle(evidence, 2, 4),
      borrower: masked ? { maskedName: masked.name } : null,
    };
  });
  return { items, nextOffset: plans.length > page.limit ? page.offset + page.limit : null };
}

/** The pending action `approvalId` of a plan read in the checker's transaction, refused when gone or the checker made it. */
export function pendingFor(
  stored: RepaymentPlanDoc | undefined,
  approvalId: string,
  checker: Operator,
): PendingApproval {
  const pending = stored?.pendingApproval;
  if (!pending || pending.id !== approvalId) throw new AppError('APPROVAL_NOT_FOUND', '未找到待复核的操作');
  if (pending.maker === checker.id) throw new AppError('SAME_OPERATOR', '复核须由另一位运营人员完成');
  return pending;
}

/** The second operator rejects a pending action: it leaves the plan, nothing else changes; audited. */
export async function rejectPending(
  d: RepaymentDeps,
  checker: Operator,
  input: { loanId: string; approvalId: string; reasonCode: string; note: string },
): Promise<{ status: 'rejected'; approvalId: string }> {
  return d.docs.transact(async (tx) => {
    const stored = await tx.get<RepaymentPlanDoc>(C.plans, input.loanId);
    const pending = pendingFor(stored, input.approvalId, checker);
    const at = d.clock.now();
    await tx.put(C.plans, {
      ...(stored as RepaymentPlanDoc),
      pendingApproval: null,
      version: (stored as RepaymentPlanDoc).version + 1,
      updatedAt: at,
    } as RepaymentPlanDoc & StoredDoc);
    await appendAudit(tx, {
      at,
      actor: checker.id,
      actorType: 'operator',
      event: `repayment.ops.${pending.action}.rejected`,
      subject: `loan:${input.loanId}`,
      outcome: 'success',
      details: {
        approvalId: pending.id,
        maker: pending.maker,
        amount: amountOf(pending),
        reasonCode: input.reasonCode,
        note: input.note,
      },
    });
    return { status: 'rejected' as const, approvalId: pending.id };
  });
}
