import { OPERATORS } from '../../server/ops/operator-auth';
import { operatorAdminActions } from '../../server/operators/console-admin';
import { SESSION_TTL_MS, SESSIONS } from '../../server/operators/session';
import { SIGN_IN_LIMIT } from '../../server/operators/throttle';
import { totpCode } from '../../server/operators/totp';
import type { WorkbenchDeps } from '../../server/operators/workbench-http';
import {
  auditEntries,
  consoleCaller,
  httpCaller,
  memoryOperatorDeps,
  register,
  signInAs,
  wb,
} from './fixtures';

function setup() {
  const operators = memoryOperatorDeps();
  const ran: Array<{ action: string; actor: string }> = [];
  const deps: WorkbenchDeps = {
    operators,
    opsTable: (authenticate) => ({
      queue: {
        input: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never,
        run: async (_input: unknown, caller) => {
          const who = await authenticate(caller, 'queue');
          ran.push({ action: 'queue', actor: who.id });
          return { items: [] };
        },
      },
    }),
  };
  return { deps, operators, ran };
}

/** Snapshot of everything but the audit log and the throttle (what a refusal must not change). */
function snapshot(store: ReturnType<typeof memoryOperatorDeps>['store']) {
  return JSON.stringify([
    [...store.raw(SESSIONS).values()],
    [...store.raw(OPERATORS).values()].map((d) => ({ ...d, updatedAt: 0 })),
  ]);
}

describe('workbench sign-in and sessions', () => {
  it('password + TOTP opens a session; the ops call runs as the named operator', async () => {
    const { deps, operators, ran } = setup();
    const alice = await register(operators, 'alice', 'reviewer');
    const token = await signInAs(deps, alice);
    expect(token).toMatch(/^wbs_/);
    // The token itself is never stored: only its hash.
    expect(JSON.stringify([...operators.store.raw(SESSIONS).values()])).not.toContain(token);
    const answer = await wb(deps, '/workbench/ops', { action: 'queue' }, { token });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(ran).toEqual([{ action: 'queue', actor: 'wb:alice' }]);
    expect(auditEntries(operators.store).map((e) => [e.event, e.actor, e.outcome])).toEqual([
      ['operator.register', 'console', 'success'],
      ['operator.signIn', 'wb:alice', 'success'],
    ]);
  });

  it('wrong password, wrong TOTP, replayed TOTP: specific codes, audited, no session', async () => {
    const { deps, operators } = setup();
    const alice = await register(operators, 'alice', 'reviewer');
    const now = operators.clock.now();
    const wrongPassword = await wb(deps, '/workbench/signIn', {
      login: 'alice',
      password: 'nope-nope',
      code: totpCode(alice.totpSecret, now),
    });
    expect(wrongPassword).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'INVALID_CREDENTIALS' } },
    });
    const wrongCode = await wb(deps, '/workbench/signIn', {
      login: 'alice',
      password: alice.initialPassword,
      code: '000000' === totpCode(alice.totpSecret, now) ? '111111' : '000000',
    });
    expect(wrongCode.body.error?.code).toBe('TOTP_INVALID');
    const unknown = await wb(deps, '/workbench/signIn', { login: 'mallory', password: 'x', code: '123456' });
    expect(unknown.body.error?.code).toBe('INVALID_CREDENTIALS');
    await signInAs(deps, alice);
    const sessions = operators.store.raw(SESSIONS).size;
    const replay = await wb(deps, '/workbench/signIn', {
      login: 'alice',
      password: alice.initialPassword,
      code: totpCode(alice.totpSecret, now),
    });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'TOTP_REPLAYED' } } });
    expect(operators.store.raw(SESSIONS).size).toBe(sessions);
    const refused = auditEntries(operators.store)
      .filter((e) => e.outcome === 'refused')
      .map((e) => e.details.code);
    // Refusals of an unknown login have no account chain: they are refusal records, not chain links.
    expect([...refused].sort()).toEqual(
      ['INVALID_CREDENTIALS', 'TOTP_INVALID', 'INVALID_CREDENTIALS', 'TOTP_REPLAYED'].sort(),
    );
  });

  it('repeated failures lock the account even for the right password', async () => {
    const { deps, operators } = setup();
    const alice = await register(operators, 'alice', 'reviewer');
    for (let i = 0; i < 5; i += 1)
      await wb(
        deps,
        '/workbench/signIn',
        { login: 'alice', password: `wrong-${i}`, code: '123456' },
        { caller: httpCaller(`10.0.0.${i}`) },
      );
    operators.clock.advance(31_000);
    const locked = await wb(deps, '/workbench/signIn', {
      login: 'alice',
      password: alice.initialPassword,
      code: totpCode(alice.totpSecret, operators.clock.now()),
    });
    expect(locked).toMatchObject({ status: 423, body: { error: { code: 'ACCOUNT_LOCKED' } } });
    operators.clock.advance(15 * 60 * 1000);
    await expect(signInAs(deps, alice)).resolves.toMatch(/^wbs_/);
  });

  it('a sign-in flood is rate-limited per caller, audited once, and slows nobody else', async () => {
    const { deps, operators } = setup();
    const alice = await register(operators, 'alice', 'reviewer');
    const flood = httpCaller('203.0.113.66');
    const codes: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMIT + 5; i += 1) {
      const answer = await wb(
        deps,
        '/workbench/signIn',
        { login: `bot${i}x`, password: 'guess', code: '123456' },
        { caller: flood },
      );
      codes.push(answer.body.error?.code ?? 'ok');
    }
    expect(codes.slice(0, SIGN_IN_LIMIT).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.slice(SIGN_IN_LIMIT)).toEqual(Array(5).fill('SIGN_IN_RATE_LIMITED'));
    const limited = auditEntries(operators.store).filter((e) => e.details.code === 'SIGN_IN_RATE_LIMITED');
    expect(limited).toHaveLength(1);
    // Another caller signs in at once.
    await expect(signInAs(deps, alice)).resolves.toMatch(/^wbs_/);
  });

  it('missing header, forged token, expired and revoked sessions are refused before any action', async () => {
    const { deps, operators, ran } = setup();
    const alice = await register(operators, 'alice', 'reviewer');
    expect(await wb(deps, '/workbench/ops', { action: 'queue' })).toMatchObject({
      status: 401,
      body: { error: { code: 'SESSION_REQUIRED' } },
    });
    const token = await signInAs(deps, alice);
    const before = snapshot(operators.store);
    const forged = `wbs_${'A'.repeat(43)}`;
    expect((await wb(deps, '/workbench/ops', { action: 'queue' }, { token: forged })).body.error?.code).toBe(
      'SESSION_INVALID',
    );
    expect(
      (await wb(deps, '/workbench/ops', { action: 'queue' }, { token: `${token}x` })).body.error?.code,
    ).toBe('SESSION_INVALID');
    expect(snapshot(operators.store)).toBe(before);
    operators.clock.advance(SESSION_TTL_MS);
    expect((await wb(deps, '/workbench/ops', { action: 'queue' }, { token })).body.error?.code).toBe(
      'SESSION_EXPIRED',
    );
    const fresh = await signInAs(deps, alice);
    expect(await wb(deps, '/workbench/signOut', {}, { token: fresh })).toMatchObject({ body: { ok: true } });
    expect((await wb(deps, '/workbench/ops', { action: 'queue' }, { token: fresh })).body.error?.code).toBe(
      'SESSION_REVOKED',
    );
    expect(ran).toEqual([]);
    expect(
      auditEntries(operators.store).some(
        (e) => e.event === 'operator.sessionEnd' && e.details.because === 'signOut',
      ),
    ).toBe(true);
  });

  it("a deactivated operator's session stops at once; a 2FA reset ends sessions and the old secret", async () => {
    const { deps, operators, ran } = setup();
    const admin = operatorAdminActions(() => operators);
    const alice = await register(operators, 'alice', 'reviewer');
    const bob = await register(operators, 'bob', 'approver');
    const token = await signInAs(deps, alice);
    await admin.deactivateOperator.run({ login: 'alice', reason: '离职停用账号' }, consoleCaller);
    expect(await wb(deps, '/workbench/ops', { action: 'queue' }, { token })).toMatchObject({
      status: 401,
      body: { error: { code: 'SESSION_REVOKED' } },
    });
    operators.clock.advance(31_000);
    expect(
      (
        await wb(deps, '/workbench/signIn', {
          login: 'alice',
          password: alice.initialPassword,
          code: totpCode(alice.totpSecret, operators.clock.now()),
        })
      ).body.error?.code,
    ).toBe('OPERATOR_INACTIVE');

    const bobToken = await signInAs(deps, bob);
    const reset = await admin.resetOperatorSecondFactor.run(
      { login: 'bob', reason: '手机丢失重置' },
      consoleCaller,
    );
    expect(
      (await wb(deps, '/workbench/ops', { action: 'queue' }, { token: bobToken })).body.error?.code,
    ).toBe('SESSION_REVOKED');
    operators.clock.advance(31_000);
    expect(
      (
        await wb(deps, '/workbench/signIn', {
          login: 'bob',
          password: bob.initialPassword,
          code: totpCode(bob.totpSecret, operators.clock.now()),
        })
      ).body.error?.code,
    ).toBe('TOTP_INVALID');
    await expect(signInAs(deps, { ...reset, initialPassword: bob.initialPassword })).resolves.toMatch(
      /^wbs_/,
    );
    expect(ran).toEqual([]);
    const events = auditEntries(operators.store)
      .filter((e) => e.actor === 'console')
      .map((e) => e.event);
    expect(events).toEqual(
      expect.arrayContaining(['operator.deactivate', 'operator.resetSecondFactor', 'operator.sessionEnd']),
    );
  });

  it('account administration is console-only: refused over HTTP access and from the mini-program', async () => {
    const { operators } = setup();
    const admin = operatorAdminActions(() => operators);
    for (const caller of [httpCaller(), { ...consoleCaller, openid: 'o-borrower', source: 'wx_client' }]) {
      await expect(
        admin.registerOperator.run({ login: 'eve', displayName: 'eve', role: 'supervisor' }, caller),
      ).rejects.toMatchObject({ code: 'CONSOLE_REQUIRED' });
    }
    await register(operators, 'alice', 'reviewer');
    await expect(register(operators, 'alice', 'supervisor')).rejects.toMatchObject({
      code: 'OPERATOR_EXISTS',
    });
  });
});
