import { OPERATORS } from '../../server/ops/operator-auth';
import { LOCK_AFTER_FAILURES } from '../../server/operators/sign-in';
import { SESSIONS } from '../../server/operators/session';
import { totpCode } from '../../server/operators/totp';
import type { WorkbenchDeps } from '../../server/operators/workbench-http';
import { auditEntries, memoryOperatorDeps, register, signInAs, wb } from './fixtures';

/** Password change: old password + a fresh TOTP code, audited, every session of the operator ended. */

function setup() {
  const operators = memoryOperatorDeps();
  const deps: WorkbenchDeps = { operators, opsTable: () => ({}) };
  return { deps, operators };
}

const NEW_PASSWORD = 'correct-horse-battery-9';

test('a change needs the old password and a fresh code; it ends every session and the new password signs in', async () => {
  const { deps, operators } = setup();
  const alice = await register(operators, 'alice', 'reviewer');
  const tab1 = await signInAs(deps, alice);
  operators.clock.advance(30_000);
  const tab2 = await signInAs(deps, alice);
  operators.clock.advance(30_000);
  const code = totpCode(alice.totpSecret, operators.clock.now());
  const change = (body: Record<string, unknown>, token = tab1) =>
    wb(deps, '/workbench/changePassword', body, { token });

  expect(
    await change({ oldPassword: alice.initialPassword, code, newPassword: NEW_PASSWORD }, ''),
  ).toMatchObject({
    status: 401,
    body: { error: { code: 'SESSION_REQUIRED' } },
  });
  const before = JSON.stringify([...operators.store.raw(OPERATORS).values()]);
  // Refusals change nothing but the failure counter (and are audited).
  expect(await change({ oldPassword: alice.initialPassword, code, newPassword: 'short' })).toMatchObject({
    status: 400,
    body: { error: { code: 'PASSWORD_TOO_WEAK' } },
  });
  expect(
    await change({ oldPassword: alice.initialPassword, code, newPassword: 'alice-is-my-name-1' }),
  ).toMatchObject({
    body: { error: { code: 'PASSWORD_TOO_WEAK' } },
  });
  expect(JSON.stringify([...operators.store.raw(OPERATORS).values()])).toBe(before);
  expect(await change({ oldPassword: 'wrong-password', code, newPassword: NEW_PASSWORD })).toMatchObject({
    status: 403,
    body: { error: { code: 'OLD_PASSWORD_WRONG' } },
  });
  expect(
    await change({ oldPassword: alice.initialPassword, code: '000000', newPassword: NEW_PASSWORD }),
  ).toMatchObject({
    status: 401,
    body: { error: { code: 'TOTP_INVALID' } },
  });
  // The sign-in's code of tab2 was the previous step: replayed.
  const used = totpCode(alice.totpSecret, operators.clock.now() - 30_000);
  expect(
    await change({ oldPassword: alice.initialPassword, code: used, newPassword: NEW_PASSWORD }),
  ).toMatchObject({
    body: { error: { code: 'TOTP_REPLAYED' } },
  });
  const account = operators.store.raw(OPERATORS).get('wb:alice') as unknown as { failedAttempts: number };
  expect(account.failedAttempts).toBe(3);

  expect(await change({ oldPassword: alice.initialPassword, code, newPassword: NEW_PASSWORD })).toMatchObject(
    {
      status: 200,
      body: { ok: true, data: { changed: true, sessionsEnded: 2 } },
    },
  );
  for (const token of [tab1, tab2])
    expect(await wb(deps, '/workbench/me', {}, { token })).toMatchObject({
      status: 401,
      body: { error: { code: 'SESSION_REVOKED' } },
    });
  expect(
    [...operators.store.raw(SESSIONS).values()].map(
      (s) => (s as unknown as { revokedBecause: string }).revokedBecause,
    ),
  ).toEqual(['password_changed', 'password_changed']);
  operators.clock.advance(30_000);
  await expect(signInAs(deps, alice)).rejects.toThrow('INVALID_CREDENTIALS');
  operators.clock.advance(30_000);
  expect(await signInAs(deps, alice, NEW_PASSWORD)).toMatch(/^wbs_/);

  const audit = auditEntries(operators.store).filter((e) => e.event === 'operator.passwordChange');
  // Same instant for every entry: compared as a set of lines.
  expect(audit.map((e) => `${e.actor} ${e.outcome} ${String(e.details.code)}`).sort()).toEqual([
    'wb:alice refused INVALID_CREDENTIALS',
    'wb:alice refused PASSWORD_TOO_WEAK',
    'wb:alice refused PASSWORD_TOO_WEAK',
    'wb:alice refused TOTP_INVALID',
    'wb:alice refused TOTP_REPLAYED',
    'wb:alice success undefined',
  ]);
  expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  expect(
    auditEntries(operators.store).some(
      (e) => e.event === 'operator.sessionEnd' && e.details.because === 'password_changed',
    ),
  ).toBe(true);
});

test('wrong old passwords count towards the lock; a locked account cannot change its password', async () => {
  const { deps, operators } = setup();
  const bob = await register(operators, 'bobby', 'approver');
  const token = await signInAs(deps, bob);
  for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1) {
    operators.clock.advance(30_000);
    await wb(
      deps,
      '/workbench/changePassword',
      {
        oldPassword: `guess-${i}`,
        code: totpCode(bob.totpSecret, operators.clock.now()),
        newPassword: NEW_PASSWORD,
      },
      { token },
    );
  }
  operators.clock.advance(30_000);
  expect(
    await wb(
      deps,
      '/workbench/changePassword',
      {
        oldPassword: bob.initialPassword,
        code: totpCode(bob.totpSecret, operators.clock.now()),
        newPassword: NEW_PASSWORD,
      },
      { token },
    ),
  ).toMatchObject({ status: 423, body: { error: { code: 'ACCOUNT_LOCKED' } } });
});
