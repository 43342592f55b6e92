import { z } from 'zod';
import { appendAudit, recordAudit } from '../audit/audit-log';
import type { AuditEntry } from '../audit/chain';
import { decryptPii } from '../pii';
import { AppError } from '../runtime/app-error';
import {
  accountId,
  loginSchema,
  readAccount,
  readAccountTx,
  writeAccount,
  type OperatorAccount,
  type OperatorDeps,
} from './account';
import { hashPassword, verifyPassword } from './password';
import { createSession } from './session';
import { countAttempt } from './throttle';
import { totpStep } from './totp';

/** Failures in a row that lock an account. */
export const LOCK_AFTER_FAILURES = 5;
/** How long a lock lasts. */
export const LOCK_MS = 15 * 60 * 1000;
/** The purpose the TOTP secret is encrypted under. */
export const TOTP_PURPOSE = 'operator.totp';

/** The sign-in request (JSON body of `POST /http/workbench/signIn`). */
export const signInSchema = z.strictObject({
  login: loginSchema,
  password: z.string().min(1).max(200),
  code: z.string().max(12),
});

/** A new session as the workbench receives it. */
export interface SignedIn {
  token: string;
  expiresAt: number;
  operator: { id: string; login: string; displayName: string; role: string };
}

/** A hash to spend the same time on unknown logins (no account enumeration by timing). */
let decoyHash: Promise<string> | undefined;

type Failure = 'INVALID_CREDENTIALS' | 'TOTP_INVALID' | 'TOTP_REPLAYED';

const failureText: Record<Failure | 'ACCOUNT_LOCKED' | 'OPERATOR_INACTIVE' | 'SIGN_IN_RATE_LIMITED', string> =
  {
    INVALID_CREDENTIALS: '账号或密码错误',
    TOTP_INVALID: '动态验证码错误',
    TOTP_REPLAYED: '该动态验证码已使用，请等待下一个验证码',
    ACCOUNT_LOCKED: '连续失败次数过多，账号已临时锁定，请稍后再试或联系管理员',
    OPERATOR_INACTIVE: '该运营账号已停用',
    SIGN_IN_RATE_LIMITED: '登录尝试过于频繁，请稍后再试',
  };

function entry(
  actor: string,
  outcome: AuditEntry['outcome'],
  details: Record<string, unknown>,
  at: number,
): AuditEntry {
  return {
    at,
    actor,
    actorType: 'operator',
    event: 'operator.signIn',
    subject: `operator:${actor}`,
    outcome,
    details,
  };
}

/**
 * Password + TOTP sign-in. Per caller address at most SIGN_IN_LIMIT attempts per window; per account
 * LOCK_AFTER_FAILURES failures lock it. Every success and failure is audited; a refusal changes only
 * the counters that make it a refusal.
 */
export async function signIn(
  deps: OperatorDeps,
  input: z.infer<typeof signInSchema>,
  callerKey: string,
): Promise<SignedIn> {
  const now = deps.clock.now();
  const id = accountId(input.login);
  const throttle = await deps.store.transact(async (tx) => {
    const counted = await countAttempt(tx, callerKey, now);
    if (counted.firstRefusal)
      await appendAudit(
        tx,
        entry(id, 'refused', { code: 'SIGN_IN_RATE_LIMITED', attempts: counted.attempts }, now),
      );
    return counted;
  });
  if (!throttle.allowed) throw new AppError('SIGN_IN_RATE_LIMITED', failureText.SIGN_IN_RATE_LIMITED);

  const account = await readAccount(deps.store, id);
  if (!account) {
    decoyHash ??= hashPassword('decoy-password');
    await verifyPassword(input.password, await decoyHash);
    await recordAudit(deps.store, entry(id, 'refused', { code: 'INVALID_CREDENTIALS', known: false }, now));
    throw new AppError('INVALID_CREDENTIALS', failureText.INVALID_CREDENTIALS);
  }
  if (!account.active) {
    await recordAudit(deps.store, entry(id, 'refused', { code: 'OPERATOR_INACTIVE' }, now));
    throw new AppError('OPERATOR_INACTIVE', failureText.OPERATOR_INACTIVE);
  }
  if (account.lockedUntil !== null && account.lockedUntil > now) {
    await recordAudit(
      deps.store,
      entry(id, 'refused', { code: 'ACCOUNT_LOCKED', lockedUntil: account.lockedUntil }, now),
    );
    throw new AppError('ACCOUNT_LOCKED', failureText.ACCOUNT_LOCKED);
  }
  const passwordOk = await verifyPassword(input.password, account.credentials.passwordHash);
  const step = passwordOk
    ? totpStep(decryptPii(deps.keys, account.credentials.totpSecret, TOTP_PURPOSE), input.code, now)
    : undefined;

  const outcome = await deps.store.transact(async (tx) => {
    const current = (await readAccountTx(tx, id)) ?? account;
    const failure: Failure | undefined = !passwordOk
      ? 'INVALID_CREDENTIALS'
      : step === undefined
        ? 'TOTP_INVALID'
        : step <= current.credentials.lastTotpStep
          ? 'TOTP_REPLAYED'
          : undefined;
    if (failure) {
      const failedAttempts = current.failedAttempts + 1;
      const locked = failedAttempts >= LOCK_AFTER_FAILURES;
      await writeAccount(
        tx,
        { ...current, failedAttempts, lockedUntil: locked ? now + LOCK_MS : current.lockedUntil },
        now,
      );
      await appendAudit(tx, entry(id, 'refused', { code: failure, failedAttempts, locked }, now));
      return { kind: 'refused' as const, failure };
    }
    const next: OperatorAccount = {
      ...current,
      failedAttempts: 0,
      lockedUntil: null,
      credentials: { ...current.credentials, lastTotpStep: step as number },
    };
    await writeAccount(tx, next, now);
    const session = await createSession(tx, id, now);
    await appendAudit(tx, entry(id, 'success', { role: current.role, expiresAt: session.expiresAt }, now));
    return { kind: 'signedIn' as const, session, account: next };
  });
  if (outcome.kind === 'refused') throw new AppError(outcome.failure, failureText[outcome.failure]);
  const { session, account: signedIn } = outcome;
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    operator: { id, login: signedIn.login, displayName: signedIn.displayName, role: signedIn.role },
  };
}
