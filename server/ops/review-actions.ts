import type { LoanStatus } from '../../typings/loan';
import type { QueueItem } from '../../typings/ops';
import { appendAudit } from '../audit/audit-log';
import type { LoanDeps } from '../loan/deps';
import type { ManualDecision } from '../loan/application-doc';
import { APPLICATIONS } from '../loan/application-doc';
import { loadApplication, transitionApplication } from '../loan/transition';
import { AppError } from '../runtime/app-error';
import { assertMoneyMayMove } from '../loan/money-gate';
import { roleMay } from '../operators/roles';
import { reviewContext } from './conflict-of-interest';
import type { Operator } from './operator-auth';
import { inCatalogue } from './reasons';
import { queueItem, QUEUE_STATUSES } from './review-queue';

/** True when `status` waits for a person. */
function inQueue(status: LoanStatus): boolean {
  return (QUEUE_STATUSES as readonly LoanStatus[]).includes(status);
}

/** Takes an application for review so two operators do not work on it at once. */
export async function claimApplication(
  deps: LoanDeps,
  operator: Operator,
  id: string,
  expectedVersion?: number,
): Promise<QueueItem> {
  const { flags } = await reviewContext(deps, operator, id, 'claim');
  return deps.store.transact(async (tx) => {
    const app = await loadApplication(tx, id);
    if (expectedVersion !== undefined && app.version !== expectedVersion)
      throw new AppError('STALE_VERSION', '申请状态已变化，请刷新后重试');
    if (!inQueue(app.status)) throw new AppError('NOT_IN_QUEUE', '该申请不在待审核队列中');
    if (app.claimedBy && app.claimedBy !== operator.id)
      throw new AppError('ALREADY_CLAIMED', '该申请已由其他审核员领取');
    const now = deps.clock.now();
    const next = { ...app, claimedBy: operator.id, version: app.version + 1, updatedAt: now };
    await tx.put(APPLICATIONS, next);
    await appendAudit(tx, {
      at: now,
      actor: operator.id,
      actorType: 'operator',
      event: 'ops.claim',
      subject: `application:${id}`,
      outcome: 'success',
      details: { status: app.status, version: next.version },
    });
    return queueItem(next, flags);
  });
}

/** The operator's decision input. */
export interface DecideRequest {
  applicationId: string;
  decision: 'approve' | 'reject';
  note: string;
  /** A code from the decision catalogue (`approve` or `reject` list of server/ops/reasons.ts). */
  reasonCode?: string;
  expectedVersion?: number;
}

/**
 * Refuses a workbench operator whose role may not give the second approval (the role table governs
 * workbench accounts; the console and legacy OPENID operators are outside it).
 */
function requireChecker(operator: Operator): void {
  if (operator.roleTable && !roleMay(operator.role, 'secondApproval'))
    throw new AppError('ROLE_FORBIDDEN', `角色 ${operator.role} 无权复核`);
}

/**
 * Decides a queued application. Approvals above the maker-checker amount need two different
 * operators: the first moves it to awaiting_second_approval, the second approves. Whether the
 * decision is the checker's half is read inside the transaction, so a status that changes between
 * a caller's earlier read and this decision cannot let a reviewer give the second approval.
 */
export async function decideApplication(
  deps: LoanDeps,
  operator: Operator,
  request: DecideRequest,
): Promise<QueueItem> {
  if (request.reasonCode !== undefined && !inCatalogue(request.decision, request.reasonCode))
    throw new AppError('REASON_CODE_MISMATCH', `原因代码 ${request.reasonCode} 不适用于该决定`);
  const coded = request.reasonCode !== undefined ? { reasonCode: request.reasonCode } : {};
  const { flags } = await reviewContext(deps, operator, request.applicationId, 'decide');
  return deps.store.transact(async (tx) => {
    const app = await loadApplication(tx, request.applicationId);
    // Every approval (maker, checker, appeal) asks the money gate at the moment of the decision.
    if (request.decision === 'approve') {
      await assertMoneyMayMove((c, id) => tx.get(c, id), app.openid, app.idHash);
    }
    if (request.expectedVersion !== undefined && app.version !== request.expectedVersion) {
      throw new AppError('STALE_VERSION', '申请状态已变化，请刷新后重试');
    }
    if (!inQueue(app.status)) throw new AppError('NOT_IN_QUEUE', '该申请不在待审核队列中');
    const now = deps.clock.now();
    const actor = { id: operator.id, type: 'operator' as const };
    const base = { applicationId: app._id, expectedVersion: app.version, actor, at: now };
    if (app.status === 'awaiting_second_approval') {
      const maker = app.firstApproval?.operator;
      if (maker === operator.id) throw new AppError('SAME_OPERATOR', '复核须由另一位审核员完成');
      requireChecker(operator);
      const outcome = request.decision === 'approve' ? 'approved' : 'rejected';
      const manualDecision: ManualDecision = {
        outcome,
        operator: maker ?? operator.id,
        checker: operator.id,
        at: now,
        note: request.note,
        ...coded,
      };
      const next = await transitionApplication(tx, {
        ...base,
        to: outcome,
        patch: { manualDecision, claimedBy: null },
        details: { decision: request.decision, maker, checker: operator.id, ...coded },
        note: outcome === 'approved' ? '人工审核通过' : '人工审核未通过',
      });
      return queueItem(next, flags);
    }
    if (app.claimedBy !== operator.id && operator.role !== 'console') {
      throw new AppError('NOT_CLAIMED', '请先领取该申请再审核');
    }
    const fromAppeal = app.status === 'appealed';
    if (request.decision === 'reject') {
      const next = await transitionApplication(tx, {
        ...base,
        to: fromAppeal ? 'appeal_denied' : 'rejected',
        patch: {
          manualDecision: {
            outcome: 'rejected',
            operator: operator.id,
            at: now,
            note: request.note,
            ...coded,
          },
          claimedBy: null,
        },
        details: { decision: 'reject', appeal: fromAppeal, ...coded },
        note: fromAppeal ? '复议未通过' : '人工审核未通过',
      });
      return queueItem(next, flags);
    }
    if (app.amount > deps.config.makerCheckerAboveFen) {
      const next = await transitionApplication(tx, {
        ...base,
        to: 'awaiting_second_approval',
        patch: {
          firstApproval: { operator: operator.id, at: now, note: request.note, ...coded },
          claimedBy: null,
        },
        details: { decision: 'approve', makerChecker: true, ...coded },
        note: '初审通过，等待复核',
      });
      return queueItem(next, flags);
    }
    const next = await transitionApplication(tx, {
      ...base,
      to: 'approved',
      patch: {
        manualDecision: {
          outcome: 'approved',
          operator: operator.id,
          at: now,
          note: request.note,
          ...coded,
        },
        claimedBy: null,
      },
      details: { decision: 'approve', appeal: fromAppeal, ...coded },
      note: '人工审核通过',
    });
    return queueItem(next, flags);
  });
}
