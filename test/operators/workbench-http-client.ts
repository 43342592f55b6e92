import type { Enrollment } from '../../server/operators/console-admin';
import { SESSION_HEADER } from '../../server/operators/session';
import { totpCode } from '../../server/operators/totp';
import type { TestEmulator } from '../helpers/emulator';
import { callAsConsole, userAction } from '../loan/emulator-harness';
import type { WbAnswer } from './fixtures';

/** POSTs to the local HTTP access service at `/http/workbench<path>` as the workbench page does. */
export async function wbPost(
  emu: TestEmulator,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: WbAnswer }> {
  const response = await fetch(`${emu.baseUrl}/http/workbench${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { [SESSION_HEADER]: token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as WbAnswer };
}

/** Signs an enrolled operator in over HTTP with the TOTP code of the backend's clock; answers the token. */
export async function wbSignIn(emu: TestEmulator, enrollment: Enrollment): Promise<string> {
  const { now } = await userAction<{ now: number }>(emu, '/_admin/clock', {});
  const answer = await wbPost(emu, '/signIn', {
    login: enrollment.login,
    password: enrollment.initialPassword,
    code: totpCode(enrollment.totpSecret, now),
  });
  if (!answer.body.ok) throw new Error(`sign-in ${answer.body.error?.code}`);
  return answer.body.data.token as string;
}

/** Registers workbench operators from the console, as an administrator does: each one's enrollment by login. */
export async function registerOperators(
  people: ReadonlyArray<readonly [login: string, role: string, displayName?: string]>,
): Promise<Record<string, Enrollment>> {
  const enrolled: Record<string, Enrollment> = {};
  for (const [login, role, displayName] of people) {
    const answer = await callAsConsole<Enrollment>('ops', {
      action: 'registerOperator',
      login,
      displayName: displayName ?? login,
      role,
    });
    if (!answer.ok) throw new Error(answer.error.code);
    enrolled[login] = answer.data;
  }
  return enrolled;
}
