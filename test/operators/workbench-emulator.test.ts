import type { Enrollment } from '../../server/operators/console-admin';
import type { TestEmulator } from '../helpers/emulator';
import { callAs, callAsConsole, docs, startLendingEmulator } from '../loan/emulator-harness';
import { wbPost, wbSignIn } from './workbench-http-client';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startLendingEmulator();
}, 120_000);
afterAll(async () => emu?.stop());

const post = (path: string, body: unknown, token?: string) => wbPost(emu, path, body, token);
const signIn = (enrollment: Enrollment) => wbSignIn(emu, enrollment);

test('console registers operators; a session over HTTP access runs ops as the named operator; deactivation stops it at once', async () => {
  const registered = await callAsConsole<Enrollment>('ops', {
    action: 'registerOperator',
    login: 'alice',
    displayName: '审核员甲',
    role: 'reviewer',
  });
  expect(registered).toMatchObject({ ok: true, data: { operatorId: 'wb:alice' } });
  const alice = (registered as { data: Enrollment }).data;
  // Registration is console-only: a mini-program caller is refused.
  expect(
    await callAs(emu, 'o-someone', 'ops', {
      action: 'registerOperator',
      login: 'eve',
      displayName: 'eve',
      role: 'supervisor',
    }),
  ).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });

  expect(await post('/ops', { action: 'queue' })).toMatchObject({
    status: 401,
    body: { error: { code: 'SESSION_REQUIRED' } },
  });
  const token = await signIn(alice);
  expect(await post('/me', {}, token)).toMatchObject({
    status: 200,
    body: { data: { id: 'wb:alice', role: 'reviewer' } },
  });
  expect(await post('/ops', { action: 'queue' }, token)).toMatchObject({
    status: 200,
    body: { ok: true, data: { items: [] } },
  });
  expect(await post('/ops', { action: 'verifyAudit' }, token)).toMatchObject({
    status: 403,
    body: { error: { code: 'ROLE_FORBIDDEN' } },
  });

  expect(
    await callAsConsole('ops', { action: 'deactivateOperator', login: 'alice', reason: '离职停用账号' }),
  ).toMatchObject({ ok: true, data: { sessionsEnded: 1 } });
  expect(await post('/ops', { action: 'queue' }, token)).toMatchObject({
    status: 401,
    body: { error: { code: 'SESSION_REVOKED' } },
  });

  const audit = docs<{ entry: { event: string; actor: string; outcome: string } }>(emu, 'auditLog').map(
    (r) => `${r.entry.event}:${r.entry.actor}:${r.entry.outcome}`,
  );
  expect(audit).toEqual(
    expect.arrayContaining([
      'operator.register:console:success',
      'operator.signIn:wb:alice:success',
      'ops.queue:wb:alice:success',
      'operator.deactivate:console:success',
      'operator.sessionEnd:console:success',
    ]),
  );
  // The token is never stored; the TOTP secret is stored encrypted.
  expect(JSON.stringify(docs(emu, 'operatorSessions'))).not.toContain(token);
  expect(JSON.stringify(docs(emu, 'operators'))).not.toContain(alice.totpSecret);
}, 120_000);
