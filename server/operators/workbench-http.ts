import type { ApiResult } from '../../typings/api';
import type { HttpAccessEvent, HttpAccessResponse } from '../payout/notify';
import { AppError } from '../runtime/app-error';
import type { Caller } from '../runtime/caller';
import { dispatchActions } from '../runtime/handler';
import type { OperatorCheck } from '../ops/actions';
import type { OperatorDeps } from './account';
import { operatorFromSession, signOut } from './operator-session';
import { changePassword, changePasswordSchema } from './password-change';
import { requireRole } from './roles';
import { recipientKeySchema, sealForRecipient } from './sealed-reveal';
import { SESSION_HEADER } from './session';
import { signIn, signInSchema } from './sign-in';

/** The HTTP access event of a workbench request. */
export interface WorkbenchEvent extends HttpAccessEvent {
  path?: string;
  requestContext?: { sourceIp?: string };
}

/** Builds the ops action table with a given operator check (production: opsActionTable). */
export type OpsTableFor = (authenticate: OperatorCheck) => Parameters<typeof dispatchActions>[0];

/** What the workbench function needs. */
export interface WorkbenchDeps {
  operators: OperatorDeps;
  opsTable: OpsTableFor;
  /** The HTTP access path this function is served at (default `/workbench`). */
  basePath?: string;
  /** Origin of the deployed workbench (static hosting) allowed to call across origins, if any. */
  allowedOrigin?: string;
}

const STATUS_OF: Record<string, number> = {
  SESSION_REQUIRED: 401,
  SESSION_INVALID: 401,
  SESSION_EXPIRED: 401,
  SESSION_REVOKED: 401,
  OPERATOR_INACTIVE: 401,
  INVALID_CREDENTIALS: 401,
  TOTP_INVALID: 401,
  TOTP_REPLAYED: 401,
  ACCOUNT_LOCKED: 423,
  ROLE_FORBIDDEN: 403,
  OLD_PASSWORD_WRONG: 403,
  PASSWORD_TOO_WEAK: 400,
  PASSWORD_UNCHANGED: 400,
  SIGN_IN_RATE_LIMITED: 429,
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
};

function respond(result: ApiResult<unknown>, origin: string | undefined): HttpAccessResponse {
  const status = result.ok ? 200 : (STATUS_OF[result.error.code] ?? 200);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (origin) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-headers'] = `content-type, ${SESSION_HEADER}`;
    headers['access-control-allow-methods'] = 'POST, OPTIONS';
    headers.vary = 'origin';
  }
  return { statusCode: status, headers, body: JSON.stringify(result), isBase64Encoded: false };
}

function header(event: WorkbenchEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  return undefined;
}

function jsonBody(event: WorkbenchEvent): Record<string, unknown> {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', '请求体不是 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError('INVALID_INPUT', '请求体须为 JSON 对象');
  return value as Record<string, unknown>;
}

/**
 * The workbench's HTTP access function: `POST /workbench/signIn` opens a session; every other path
 * checks the session header before anything else — `/workbench/me`, `/workbench/signOut`,
 * `/workbench/changePassword` (old password + TOTP, every session ended), and
 * `/workbench/ops` (`{ action, ...input }`), which runs the `ops` action as the named operator.
 */
export async function handleWorkbench(
  deps: WorkbenchDeps,
  event: WorkbenchEvent,
  caller: Caller,
): Promise<HttpAccessResponse> {
  const origin =
    deps.allowedOrigin && header(event, 'origin') === deps.allowedOrigin ? deps.allowedOrigin : undefined;
  const method = (event.httpMethod ?? 'POST').toUpperCase();
  if (method === 'OPTIONS')
    return { ...respond({ ok: true, data: null }, origin), statusCode: 204, body: '' };
  const fail = (error: unknown): HttpAccessResponse => {
    if (error instanceof AppError)
      return respond({ ok: false, error: { code: error.code, message: error.message } }, origin);
    console.error(`[workbench] ${(error as Error).name}`);
    return respond({ ok: false, error: { code: 'INTERNAL_ERROR', message: '系统繁忙，请稍后再试' } }, origin);
  };
  try {
    if (method !== 'POST') throw new AppError('METHOD_NOT_ALLOWED', '仅支持 POST');
    const base = deps.basePath ?? '/workbench';
    const path = (event.path ?? '').replace(/\/+$/, '');
    const route = (path.startsWith(base) ? path.slice(base.length) : path) || '/';
    if (route === '/signIn') {
      const parsed = signInSchema.safeParse(jsonBody(event));
      if (!parsed.success) throw new AppError('INVALID_INPUT', '请填写账号、密码和动态验证码');
      const callerKey = caller.clientIp ?? event.requestContext?.sourceIp ?? 'unknown';
      return respond({ ok: true, data: await signIn(deps.operators, parsed.data, callerKey) }, origin);
    }
    // Everything else: the session first.
    const who = await operatorFromSession(deps.operators, header(event, SESSION_HEADER));
    if (route === '/me') {
      const { login, displayName, role } = who.account;
      return respond(
        {
          ok: true,
          data: {
            id: who.operator.id,
            login,
            displayName,
            role,
            expiresAt: who.session.expiresAt,
            // The server's clock, so the page measures ages against it rather than the device's.
            now: deps.operators.clock.now(),
          },
        },
        origin,
      );
    }
    if (route === '/signOut') return respond({ ok: true, data: await signOut(deps.operators, who) }, origin);
    if (route === '/changePassword') {
      const parsed = changePasswordSchema.safeParse(jsonBody(event));
      if (!parsed.success) throw new AppError('INVALID_INPUT', '请填写旧密码、动态验证码和新密码');
      return respond({ ok: true, data: await changePassword(deps.operators, who, parsed.data) }, origin);
    }
    if (route !== '/ops') throw new AppError('NOT_FOUND', `没有 ${route}`);
    const { action: name, recipientKey, ...input } = jsonBody(event);
    if (typeof name !== 'string') throw new AppError('UNKNOWN_ACTION', '缺少 action');
    // The table; the checker's half of `decide` is checked by decideApplication in its transaction.
    requireRole(who.operator.role, name);
    if (name === 'reveal' && !recipientKeySchema.safeParse(recipientKey).success)
      throw new AppError('RECIPIENT_KEY_REQUIRED', '查看明文须附带本页面的一次性公钥');
    const run = dispatchActions(
      deps.opsTable(async () => who.operator),
      () => caller,
    );
    const result = await run({ action: name, ...input });
    if (name === 'reveal' && result.ok)
      return respond(
        { ok: true, data: { sealed: sealForRecipient(recipientKey as string, result.data) } },
        origin,
      );
    return respond(result, origin);
  } catch (error) {
    return fail(error);
  }
}
