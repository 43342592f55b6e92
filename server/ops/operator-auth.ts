import { z } from 'zod';
import type { OperatorDoc, OperatorRole } from '../../typings/ops';
import type { DocStore, StoredDoc } from '../storage/doc-store';
import { recordRefusal } from '../audit/audit-log';
import { RefusalLimiter } from '../audit/refusal-limit';
import type { Clock } from '../clock';
import { requireRole, roleMay, type TableAction } from '../operators/roles';
import { AppError } from '../runtime/app-error';
import { isFromClient, type Caller } from '../runtime/caller';

/** Collection of operators (`_id` = openid). */
export const OPERATORS = 'operators';

/** An authenticated operator: a console/server call or an openid holding a role. */
export interface Operator {
  /** Openid, or `console` for calls with no OPENID from the console or another server. */
  id: string;
  role: OperatorRole | 'console';
  /** A workbench account: the role table (server/operators/roles.ts) governs what it may do. */
  roleTable?: true;
}

/** Refused callers of this instance: a caller who keeps being refused is rate-limited. */
const refusals = new RefusalLimiter();

/**
 * Who is acting: console/server calls carry no OPENID and no wx_client hop; anyone else must be an
 * active operator. Refusals are audited as single records (no shared document, no transaction on
 * anything another request writes) and rate-limited per caller: past its allowance a caller gets
 * the same refusal without a database call (the first one of a spell is audited as RATE_LIMITED).
 */
export async function authenticateOperator(
  store: DocStore,
  clock: Clock,
  caller: Caller,
  action: string,
  limiter: RefusalLimiter = refusals,
): Promise<Operator> {
  if (caller.verifiedOperator && caller.verifiedOperator.id === caller.openid) return caller.verifiedOperator;
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
    // The same refusal as before, answered from memory: no read, no write (one record per spell).
    if (limiter.shouldRecordLimited(openid, now)) await refuse('RATE_LIMITED');
    throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
  }
  const doc = operatorOf(await store.get<StoredDoc>(OPERATORS, openid));
  if (!doc?.active) {
    limiter.spend(openid, now);
    await refuse('OPERATOR_REQUIRED');
    throw new AppError('OPERATOR_REQUIRED', '仅限运营人员操作');
  }
  return { id: openid, role: doc.role };
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

/**
 * Refuses an operator the role table (server/operators/roles.ts) does not allow for `action`: the
 * table decides, the action code only asks it. The console (the administrators' audited emergency
 * path) is outside the table. A workbench account is refused ROLE_FORBIDDEN; an `ops` operator of
 * the OPENID kind (reviewer or supervisor) SUPERVISOR_REQUIRED, as the only power it can lack.
 */
export function requireTableRole(operator: Operator, action: TableAction): void {
  if (operator.role === 'console' || roleMay(operator.role, action)) return;
  if (operator.roleTable) requireRole(operator.role, action);
  throw new AppError('SUPERVISOR_REQUIRED', '该操作需要主管权限');
}
