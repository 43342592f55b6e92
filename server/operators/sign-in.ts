import { z } from 'zod';
import { appendAudit, recordAudit } from '../audit/audit-log';
import type { AuditEntry } from '../audit/chain';
import { decryptPii } from '../pii';
import { AppError } from '../runtime/app-error';
import type { TxDocs } from '../storage/doc-store';
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

/** Why a password + TOTP pair was refused. */
export type CredentialFailure = 'INVALID_CREDENTIALS' | 'TOTP_INVALID' | 'TOTP_REPLAYED';
type Failure = CredentialFailure;

/** The time step `code` belongs to under the account's TOTP secret, or undefined when it is wrong. */
export function totpStepOf(
  deps: OperatorDeps,
  account: OperatorAccount,
  code: string,
  now: number,
): number | undefined {
  return totpStep(decryptPii(deps.keys, account.credentials.totpSecret, TOTP_PURPOSE), code, now);
}

/** What is wrong with a password check and TOTP step against the account read in the transaction. */
export function credentialFailure(
  passwordOk: boolean,
  step: number | undefined,
  current: OperatorAccount,
): CredentialFailure | undefined {
  if (!passwordOk) return 'INVALID_CREDENTIALS';
  if (step === undefined) return 'TOTP_INVALID';
  return step <= current.credentials.lastTotpStep ? 'TOTP_REPLAYED' : undefined;
}

/** Counts one more failure in a row on the account, locking it at LOCK_AFTER_FAILURES. */
export async function countFailure(
  tx: TxDocs,
  current: OperatorAccount,
  now: number,
): Promise<{ failedAttempts: number; locked: boolean }> {
  const failedAttempts = current.failedAttempts + 1;
  const locked = failedAttempts >= LOCK_AFTER_FAILURES;
  await writeAccount(
    tx,
    { ...current, failedAttempts, lockedUntil: locked ? now + LOCK_MS : current.lockedUntil },
    now,
  );
  return { failedAttempts, locked };
}

/** The refusal messages of sign-in (shared by every password + TOTP check). */
export const failureText: Record<
  Failure | 'ACCOUNT_LOCKED' | 'OPERATOR_INACTIVE' | 'SIGN_IN_RATE_LIMITED',
  string
> = {
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
  const step = passwordOk ? totpStepOf(deps, account, input.code, now) : undefined;

  const outcome = await deps.store.transact(async (tx) => {
    const current = (await readAccountTx(tx, id)) ?? account;
    const failure = credentialFailure(passwordOk, step, current);
    if (failure) {
      const counted = await countFailure(tx, current, now);
      await appendAudit(tx, entry(id, 'refused', { code: failure, ...counted }, now));
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
