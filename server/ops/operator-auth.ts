import { z } from 'zod';
import type { OperatorDoc, OperatorRole } from '../../typings/ops';
import type { DocStore, StoredDoc } from '../audit/doc-store';
import { recordAudit } from '../audit/audit-log';
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

/**
 * Who is acting: console/server calls carry no OPENID and no wx_client hop; anyone else must be an
 * active operator. Refusals are audited too.
 */
export async function authenticateOperator(
  store: DocStore,
  clock: Clock,
  caller: Caller,
  action: string,
): Promise<Operator> {
  if (caller.verifiedOperator && caller.verifiedOperator.id === caller.openid) return caller.verifiedOperator;
  if (!caller.openid) {
    if (isFromClient(caller)) throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
    return { id: 'console', role: 'console' };
  }
  const doc = operatorOf(await store.get<StoredDoc>(OPERATORS, caller.openid));
  if (!doc?.active) {
    await recordAudit(store, {
      at: clock.now(),
      actor: caller.openid,
      actorType: 'borrower',
      event: `ops.${action}`,
      subject: 'ops',
      outcome: 'refused',
      details: { code: 'OPERATOR_REQUIRED' },
    });
    throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
  }
  return { id: caller.openid, role: doc.role };
}

/**
 * The operator document as a schema reads it: `active` must be a real boolean and the role a known
 * one. Anything else (a console edit with `active: "false"`, an unknown role) reads as no operator,
 * so a wrong type can only take power away, never grant it.
 */
const operatorDocSchema = z.object({
  _id: z.string(),
  role: z.enum(['reviewer', 'supervisor'] satisfies OperatorRole[]),
  active: z.boolean(),
});

/** The validated operator document, or undefined when absent or malformed. */
export function operatorOf(doc: StoredDoc | undefined): OperatorDoc | undefined {
  const parsed = operatorDocSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

/** Refuses a non-supervisor. */
export function requireSupervisor(operator: Operator): void {
  if (!isSupervisor(operator)) throw new AppError('SUPERVISOR_REQUIRED', '该操作需要主管权限');
}
