import { MemoryDocStore } from '../../server/storage/memory-store';
import { AUDIT_COLLECTION, AUDIT_REFUSALS, type AuditRefusal } from '../../server/audit/audit-log';
import type { AuditRecord } from '../../server/audit/chain';
import type { OperatorDeps } from '../../server/operators/account';
import { operatorAdminActions, type Enrollment } from '../../server/operators/console-admin';
import { handleWorkbench, type WorkbenchDeps } from '../../server/operators/workbench-http';
import { SESSION_HEADER } from '../../server/operators/session';
import { totpCode } from '../../server/operators/totp';
import type { WorkbenchRole } from '../../server/operators/roles';
import { readPiiKeys } from '../../server/pii';
import type { Caller } from '../../server/runtime/caller';
import { testClock } from '../loan/memory-fixtures';
import { testPiiEnv } from '../identity/pii-keys';

/** A console caller (no OPENID, SOURCE scf). */
export const consoleCaller: Caller = {
  openid: undefined,
  appid: undefined,
  unionid: undefined,
  clientIp: undefined,
  source: 'scf',
};
/** An HTTP access caller from `ip`. */
export const httpCaller = (ip = '198.51.100.7'): Caller => ({
  ...consoleCaller,
  clientIp: ip,
  source: 'wx_http',
});

/** Operator deps over memory with a movable clock. */
export function memoryOperatorDeps(): OperatorDeps & {
  store: MemoryDocStore;
  clock: ReturnType<typeof testClock>;
} {
  return { store: new MemoryDocStore(), clock: testClock(), keys: readPiiKeys(testPiiEnv()) };
}

/** Registers an operator as the console would. */
export async function register(deps: OperatorDeps, login: string, role: WorkbenchRole): Promise<Enrollment> {
  return operatorAdminActions(() => deps).registerOperator.run(
    { login, displayName: login, role },
    consoleCaller,
  );
}

/** A workbench answer as a test reads it. */
export interface WbAnswer {
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers differ per route
  data?: any;
  error?: { code: string };
}

/** Calls the workbench handler like HTTP access would. */
export async function wb(
  deps: WorkbenchDeps,
  path: string,
  body: unknown,
  options: { token?: string; caller?: Caller } = {},
): Promise<{ status: number; body: WbAnswer }> {
  const answer = await handleWorkbench(
    deps,
    {
      path,
      httpMethod: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { [SESSION_HEADER]: options.token } : {}),
      },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    },
    options.caller ?? httpCaller(),
  );
  return { status: answer.statusCode, body: JSON.parse(answer.body) };
}

/** Signs in with the current TOTP code; answers the token. */
export async function signInAs(
  deps: WorkbenchDeps,
  enrollment: Enrollment,
  password = enrollment.initialPassword,
): Promise<string> {
  const clock = deps.operators.clock;
  const answer = await wb(deps, '/workbench/signIn', {
    login: enrollment.login,
    password,
    code: totpCode(enrollment.totpSecret, clock.now()),
  });
  if (!answer.body.ok) throw new Error(`sign-in ${answer.body.error?.code}`);
  return answer.body.data.token as string;
}

/** Audit entries of a memory store. */
export function auditEntries(store: MemoryDocStore): AuditRecord['entry'][] {
  // Chain records (per subject) and refusal records, in time order (stable: insertion order on ties).
  const chained = [...store.raw(AUDIT_COLLECTION).values()] as unknown as AuditRecord[];
  const refused = [...store.raw(AUDIT_REFUSALS).values()] as unknown as AuditRefusal[];
  return [...chained, ...refused].map((r) => r.entry).sort((a, b) => a.at - b.at);
}
