import { z } from 'zod';
import { appendAudit, recordAudit } from '../audit/audit-log';
import type { AuditEntry } from '../audit/chain';
import { AppError } from '../runtime/app-error';
import { readAccountTx, writeAccount, type OperatorAccount, type OperatorDeps } from './account';
import type { SessionOperator } from './operator-session';
import { auditSessionsEnded } from './operator-session';
import { hashPassword, verifyPassword } from './password';
import { revokeSessionsOf } from './session';
import { countFailure, credentialFailure, failureText, totpStepOf } from './sign-in';

/** Fewest characters of a chosen password. */
export const MIN_PASSWORD_LENGTH = 12;

/** The request of `POST /http/workbench/changePassword` (session header required). */
export const changePasswordSchema = z.strictObject({
  oldPassword: z.string().min(1).max(200),
  code: z.string().max(12),
  newPassword: z.string().max(200),
});

/** Refuses a new password that is short, repeats the login or the old password. */
function requireStrongPassword(account: OperatorAccount, input: z.infer<typeof changePasswordSchema>): void {
  const next = input.newPassword;
  if ([...next].length < MIN_PASSWORD_LENGTH || next.toLowerCase().includes(account.login))
    throw new AppError('PASSWORD_TOO_WEAK', `新密码至少 ${MIN_PASSWORD_LENGTH} 个字符，且不能包含账号名`);
  if (next === input.oldPassword) throw new AppError('PASSWORD_UNCHANGED', '新密码不能与旧密码相同');
}

/**
 * Changes the signed-in operator's password: the old password and a fresh TOTP code are both
 * checked (failures count towards the lock like sign-in's), the new hash and the code's step are
 * written with the audit entry in one transaction, then every session of the operator ends —
 * this one included, so the operator signs in again with the new password.
 */
export async function changePassword(
  deps: OperatorDeps,
  who: SessionOperator,
  input: z.infer<typeof changePasswordSchema>,
): Promise<{ changed: true; sessionsEnded: number }> {
  const id = who.operator.id;
  const now = deps.clock.now();
  const entry = (outcome: 'success' | 'refused', details: Record<string, unknown>): AuditEntry => ({
    at: now,
    actor: id,
    actorType: 'operator',
    event: 'operator.passwordChange',
    subject: `operator:${id}`,
    outcome,
    details,
  });
  const refuse = (code: string, details: Record<string, unknown> = {}) =>
    entry('refused', { code, ...details });
  try {
    requireStrongPassword(who.account, input);
  } catch (error) {
    await recordAudit(deps.store, refuse((error as AppError).code));
    throw error;
  }
  if (who.account.lockedUntil !== null && who.account.lockedUntil > now) {
    await recordAudit(deps.store, refuse('ACCOUNT_LOCKED'));
    throw new AppError('ACCOUNT_LOCKED', failureText.ACCOUNT_LOCKED);
  }
  const passwordOk = await verifyPassword(input.oldPassword, who.account.credentials.passwordHash);
  const step = passwordOk ? totpStepOf(deps, who.account, input.code, now) : undefined;
  const passwordHash = passwordOk && step !== undefined ? await hashPassword(input.newPassword) : undefined;
  const outcome = await deps.store.transact(async (tx) => {
    const current = (await readAccountTx(tx, id)) ?? who.account;
    const failure = credentialFailure(passwordOk, step, current);
    if (failure || passwordHash === undefined) {
      const counted = await countFailure(tx, current, now);
      await appendAudit(tx, refuse(failure ?? 'TOTP_INVALID', counted));
      return failure ?? 'TOTP_INVALID';
    }
    await writeAccount(
      tx,
      {
        ...current,
        failedAttempts: 0,
        credentials: { ...current.credentials, passwordHash, lastTotpStep: step as number },
      },
      now,
    );
    await appendAudit(tx, entry('success', {}));
    return undefined;
  });
  if (outcome === 'INVALID_CREDENTIALS') throw new AppError('OLD_PASSWORD_WRONG', '旧密码错误');
  if (outcome) throw new AppError(outcome, failureText[outcome]);
  const sessions = await revokeSessionsOf(deps.store, id, now, 'password_changed');
  await auditSessionsEnded(deps, id, id, sessions, 'password_changed');
  return { changed: true, sessionsEnded: sessions };
}
