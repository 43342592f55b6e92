import { z } from 'zod';
import { appendAudit } from '../audit/audit-log';
import { encryptPii } from '../pii';
import { OPERATORS } from '../ops/operator-auth';
import type { Caller } from '../runtime/caller';
import { callerVerdict } from '../runtime/caller-table';
import { AppError } from '../runtime/app-error';
import { action } from '../runtime/handler';
import {
  accountId,
  loginSchema,
  readAccountTx,
  writeAccount,
  type OperatorAccount,
  type OperatorDeps,
} from './account';
import { auditSessionsEnded } from './operator-session';
import { hashPassword, randomPassword } from './password';
import { WORKBENCH_ROLES } from './roles';
import { revokeSessionsOf } from './session';
import { TOTP_PURPOSE } from './sign-in';
import { newTotpSecret, totpUri } from './totp';

/** The console actor's id in the audit log. */
export const CONSOLE_ACTOR = 'console';

/** Refuses anyone but the console (the caller table's row for these actions). */
function requireConsole(caller: Caller, name: string): void {
  if (callerVerdict('ops', name, caller, {}) !== 'allow')
    throw new AppError('CONSOLE_REQUIRED', '仅限在云开发控制台由管理员操作');
}

const reasonSchema = z.string().trim().min(4).max(200);

/** What a new or reset operator needs once: shown to the administrator, never stored in the clear. */
export interface Enrollment {
  operatorId: string;
  login: string;
  /** Present at registration only. */
  initialPassword?: string;
  totpSecret: string;
  otpauthUri: string;
}

async function audit(
  deps: OperatorDeps,
  tx: Parameters<typeof appendAudit>[0],
  event: string,
  id: string,
  details: Record<string, unknown>,
) {
  await appendAudit(tx, {
    at: deps.clock.now(),
    actor: CONSOLE_ACTOR,
    actorType: 'operator',
    event,
    subject: `operator:${id}`,
    outcome: 'success',
    details,
  });
}

async function loadOrFail(tx: Parameters<typeof readAccountTx>[0], id: string): Promise<OperatorAccount> {
  const account = await readAccountTx(tx, id);
  if (!account) throw new AppError('OPERATOR_NOT_FOUND', `没有运营账号 ${id}`);
  return account;
}

/**
 * The administrators' console actions on operator accounts, registered in the `ops` function:
 * register, deactivate/reactivate, reset the second factor, change role. Console calls only; each
 * is audited as `console`.
 */
export function operatorAdminActions(deps: () => OperatorDeps) {
  return {
    registerOperator: action({
      input: z.strictObject({
        login: loginSchema,
        displayName: z.string().trim().min(1).max(40),
        role: z.enum(WORKBENCH_ROLES),
      }),
      run: async (input, caller): Promise<Enrollment> => {
        requireConsole(caller, 'registerOperator');
        const d = deps();
        const id = accountId(input.login);
        const initialPassword = randomPassword();
        const totpSecret = newTotpSecret();
        const passwordHash = await hashPassword(initialPassword);
        const sealed = encryptPii(d.keys, totpSecret, TOTP_PURPOSE);
        const now = d.clock.now();
        await d.store.transact(async (tx) => {
          if (await tx.get(OPERATORS, id))
            throw new AppError('OPERATOR_EXISTS', `运营账号 ${input.login} 已存在`);
          await tx.put(OPERATORS, {
            _id: id,
            login: input.login,
            displayName: input.displayName,
            role: input.role,
            active: true,
            credentials: { passwordHash, totpSecret: sealed, lastTotpStep: 0 },
            failedAttempts: 0,
            lockedUntil: null,
            createdAt: now,
            updatedAt: now,
            version: 1,
          } satisfies OperatorAccount);
          await audit(d, tx, 'operator.register', id, { role: input.role });
        });
        return {
          operatorId: id,
          login: input.login,
          initialPassword,
          totpSecret,
          otpauthUri: totpUri(totpSecret, input.login),
        };
      },
    }),
    deactivateOperator: action({
      input: z.strictObject({ login: loginSchema, reason: reasonSchema }),
      run: async (input, caller) => {
        requireConsole(caller, 'deactivateOperator');
        const d = deps();
        const id = accountId(input.login);
        const now = d.clock.now();
        await d.store.transact(async (tx) => {
          const account = await loadOrFail(tx, id);
          await writeAccount(tx, { ...account, active: false }, now);
          await audit(d, tx, 'operator.deactivate', id, { reason: input.reason });
        });
        const sessions = await revokeSessionsOf(d.store, id, now, 'deactivated');
        await auditSessionsEnded(d, CONSOLE_ACTOR, id, sessions, 'deactivated');
        return { operatorId: id, active: false, sessionsEnded: sessions };
      },
    }),
    reactivateOperator: action({
      input: z.strictObject({ login: loginSchema, reason: reasonSchema }),
      run: async (input, caller) => {
        requireConsole(caller, 'reactivateOperator');
        const d = deps();
        const id = accountId(input.login);
        await d.store.transact(async (tx) => {
          const account = await loadOrFail(tx, id);
          await writeAccount(
            tx,
            { ...account, active: true, failedAttempts: 0, lockedUntil: null },
            d.clock.now(),
          );
          await audit(d, tx, 'operator.reactivate', id, { reason: input.reason });
        });
        return { operatorId: id, active: true };
      },
    }),
    resetOperatorSecondFactor: action({
      input: z.strictObject({ login: loginSchema, reason: reasonSchema }),
      run: async (input, caller): Promise<Enrollment> => {
        requireConsole(caller, 'resetOperatorSecondFactor');
        const d = deps();
        const id = accountId(input.login);
        const totpSecret = newTotpSecret();
        const sealed = encryptPii(d.keys, totpSecret, TOTP_PURPOSE);
        const now = d.clock.now();
        await d.store.transact(async (tx) => {
          const account = await loadOrFail(tx, id);
          await writeAccount(
            tx,
            {
              ...account,
              failedAttempts: 0,
              lockedUntil: null,
              credentials: { ...account.credentials, totpSecret: sealed, lastTotpStep: 0 },
            },
            now,
          );
          await audit(d, tx, 'operator.resetSecondFactor', id, { reason: input.reason });
        });
        const sessions = await revokeSessionsOf(d.store, id, now, 'second_factor_reset');
        await auditSessionsEnded(d, CONSOLE_ACTOR, id, sessions, 'second_factor_reset');
        return {
          operatorId: id,
          login: input.login,
          totpSecret,
          otpauthUri: totpUri(totpSecret, input.login),
        };
      },
    }),
    setOperatorRole: action({
      input: z.strictObject({ login: loginSchema, role: z.enum(WORKBENCH_ROLES), reason: reasonSchema }),
      run: async (input, caller) => {
        requireConsole(caller, 'setOperatorRole');
        const d = deps();
        const id = accountId(input.login);
        await d.store.transact(async (tx) => {
          const account = await loadOrFail(tx, id);
          await writeAccount(tx, { ...account, role: input.role }, d.clock.now());
          await audit(d, tx, 'operator.setRole', id, {
            from: account.role,
            to: input.role,
            reason: input.reason,
          });
        });
        return { operatorId: id, role: input.role };
      },
    }),
  };
}
