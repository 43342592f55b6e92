import type { OperatorDoc, OperatorRole } from '../../typings/ops';
import type { DocStore, StoredDoc } from '../audit/doc-store';
import { recordRefusal } from '../audit/audit-log';
import { RefusalLimiter } from '../audit/refusal-limit';
import type { Clock } from '../clock';
import { AppError } from '../runtime/app-error';
import { isFromClient, type Caller } from '../runtime/caller';

/** Collection of operators (`_id` = openid). */
export const OPERATORS = 'operators';

/** An authenticated operator: a console/server call or an openid holding a role. */
export interface Operator {
  /** Openid, or `console` for calls with no OPENID from the console or another server. */
  id: string;
  role: OperatorRole | 'console';
}

/** True when the operator may do supervisor-only things (freeze, blacklist, reveal). */
export function isSupervisor(operator: Operator): boolean {
  return operator.role === 'supervisor' || operator.role === 'console';
}

/** Refused callers of this instance: a caller who keeps being refused is rate-limited. */
const refusals = new RefusalLimiter();

/**
 * Who is acting: console/server calls carry no OPENID and no wx_client hop; anyone else must be an
 * active operator. Refusals are audited as single records (no shared document, no transaction on
 * anything another request writes) and rate-limited per caller: past its allowance a caller gets
 * RATE_LIMITED without a database call (the first such answer of a spell is audited).
 */
export async function authenticateOperator(
  store: DocStore,
  clock: Clock,
  caller: Caller,
  action: string,
  limiter: RefusalLimiter = refusals,
): Promise<Operator> {
  if (!caller.openid) {
    if (isFromClient(caller)) throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
    return { id: 'console', role: 'console' };
  }
  const openid = caller.openid;
  const now = clock.now();
  const refuse = async (code: string): Promise<void> => {
    await recordRefusal(store, {
      at: now,
      actor: openid,
      actorType: 'borrower',
      event: `ops.${action}`,
      subject: 'ops',
      outcome: 'refused',
      details: { code },
    });
  };
  if (limiter.isLimited(openid, now)) {
    if (limiter.shouldRecordLimited(openid, now)) await refuse('RATE_LIMITED');
    throw new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试');
  }
  const doc = await store.get<OperatorDoc & StoredDoc>(OPERATORS, openid);
  if (!doc || !doc.active || (doc.role !== 'reviewer' && doc.role !== 'supervisor')) {
    limiter.spend(openid, now);
    await refuse('OPERATOR_REQUIRED');
    throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
  }
  return { id: openid, role: doc.role };
}

/** Refuses a non-supervisor. */
export function requireSupervisor(operator: Operator): void {
  if (!isSupervisor(operator)) throw new AppError('SUPERVISOR_REQUIRED', '该操作需要主管权限');
}
