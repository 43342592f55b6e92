import { appendAudit, recordAudit } from '../audit/audit-log';
import type { Operator } from '../ops/operator-auth';
import { AppError } from '../runtime/app-error';
import { readAccount, type OperatorAccount, type OperatorDeps } from './account';
import { lookupSession, SESSIONS, type SessionDoc } from './session';

const refusalText = {
  SESSION_REQUIRED: '请先登录（缺少会话标头）',
  SESSION_INVALID: '会话无效，请重新登录',
  SESSION_EXPIRED: '会话已过期，请重新登录',
  SESSION_REVOKED: '会话已结束，请重新登录',
  OPERATOR_INACTIVE: '该运营账号已停用',
} as const;

/** The operator a live session belongs to. */
export interface SessionOperator {
  operator: Operator;
  account: OperatorAccount;
  session: SessionDoc;
}

/**
 * Checks a session token and its operator on every request: the token must name a live session
 * and the account must still be active, so a deactivation takes effect on the next request.
 * Refusals change nothing.
 */
export async function operatorFromSession(
  deps: OperatorDeps,
  token: string | undefined,
): Promise<SessionOperator> {
  const now = deps.clock.now();
  const found = await lookupSession(deps.store, token, now);
  if (!found.ok) throw new AppError(found.code, refusalText[found.code]);
  const account = await readAccount(deps.store, found.session.operatorId);
  if (!account || !account.active) throw new AppError('OPERATOR_INACTIVE', refusalText.OPERATOR_INACTIVE);
  return {
    operator: { id: account._id, role: account.role, roleTable: true },
    account,
    session: found.session,
  };
}

/** Ends the caller's own session (audited). */
export async function signOut(deps: OperatorDeps, current: SessionOperator): Promise<{ signedOut: true }> {
  const now = deps.clock.now();
  await deps.store.transact(async (tx) => {
    await tx.put(SESSIONS, { ...current.session, revokedAt: now, revokedBecause: 'signOut' });
    await appendAudit(tx, {
      at: now,
      actor: current.operator.id,
      actorType: 'operator',
      event: 'operator.sessionEnd',
      subject: `operator:${current.operator.id}`,
      outcome: 'success',
      details: { because: 'signOut' },
    });
  });
  return { signedOut: true };
}

/** Audits that sessions of an operator were ended by someone else. */
export async function auditSessionsEnded(
  deps: OperatorDeps,
  actor: string,
  operatorId: string,
  count: number,
  because: string,
): Promise<void> {
  await recordAudit(deps.store, {
    at: deps.clock.now(),
    actor,
    actorType: 'operator',
    event: 'operator.sessionEnd',
    subject: `operator:${operatorId}`,
    outcome: 'success',
    details: { because, sessions: count },
  });
}
