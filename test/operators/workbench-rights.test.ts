import type { Enrollment } from '../../server/operators/console-admin';
import type { TestEmulator } from '../helpers/emulator';
import { IDS } from '../loan/memory-fixtures';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';
import { registerOperators, wbPost, wbSignIn } from './workbench-http-client';

/**
 * Rights requests through the workbench (`/workbench/rights/ops`, function workbenchRights) over
 * HTTP access, the real SDK and the local backend: the session checked before anything else, the
 * role table deciding, the named operator acting, bad input refused with specific codes.
 */

jest.setTimeout(120_000);

const CORRECTOR = { openid: 'o-wbr-corrector', name: '吴明', idNumber: IDS.reject, phone: '13800138012' };
const DELETER = { openid: 'o-wbr-deleter', name: '周明', idNumber: IDS.approve, phone: '13800138011' };

let emu: TestEmulator;
const enrolled: Record<string, Enrollment> = {};
const tokens: Record<string, string> = {};

const rights = (token: string | undefined, action: string, input: Record<string, unknown> = {}) =>
  wbPost(emu, '/rights/ops', { action, ...input }, token);
const identity = (openid: string, data: Record<string, unknown>) => callAs(emu, openid, 'identity', data);
/** Every document a rights action could change. */
const state = () => JSON.stringify([docs(emu, 'identityRequests'), docs(emu, 'borrowers')]);

const approveName = {
  openid: CORRECTOR.openid,
  field: 'name',
  decision: 'approve',
  reasonCode: 'DOCUMENT_VERIFIED',
  reason: '核对身份证原件一致',
};
const deletion = { openid: DELETER.openid, reasonCode: 'CUSTOMER_REQUEST', reason: '本人申请注销' };

beforeAll(async () => {
  emu = await startLendingEmulator();
  for (const person of [CORRECTOR, DELETER]) await verifyBorrower(emu, person.openid, person);
  const registered = await registerOperators([
    ['sam', 'supervisor'],
    ['sue', 'supervisor'],
    ['audra', 'auditor'],
    ['rita', 'reviewer'],
  ]);
  Object.assign(enrolled, registered);
  for (const [login, enrollment] of Object.entries(registered))
    tokens[login] = await wbSignIn(emu, enrollment);
  expect(
    await identity(CORRECTOR.openid, { action: 'requestCorrection', field: 'name', detail: '吴晓明' }),
  ).toMatchObject({ ok: true });
  await emu.hub.clock.advance(1_000);
  expect(await identity(DELETER.openid, { action: 'requestDeletion' })).toMatchObject({ ok: true });
});
afterAll(async () => emu?.stop());

test('no session, a forged one or an ended one: refused before anything runs, nothing changes', async () => {
  const before = state();
  for (const [name, input] of [
    ['identityRequests', {}],
    ['resolveCorrection', approveName],
    ['completeDeletion', deletion],
  ] as const) {
    expect(await rights(undefined, name, input)).toMatchObject({
      status: 401,
      body: { error: { code: 'SESSION_REQUIRED' } },
    });
    expect(await rights('forged-session-token-000000000000000000000000', name, input)).toMatchObject({
      status: 401,
      body: { error: { code: 'SESSION_INVALID' } },
    });
  }
  // Signed out through this route: the token stops working at once, here and on every route.
  const sue = tokens.sue;
  expect(await wbPost(emu, '/rights/signOut', {}, sue)).toMatchObject({ status: 200, body: { ok: true } });
  expect(await rights(sue, 'completeDeletion', deletion)).toMatchObject({
    status: 401,
    body: { error: { code: 'SESSION_REVOKED' } },
  });
  expect(await wbPost(emu, '/ops', { action: 'queue' }, sue)).toMatchObject({
    body: { error: { code: 'SESSION_REVOKED' } },
  });
  expect(state()).toBe(before);
});

test('the role table decides: a reviewer and an auditor are refused every rights action', async () => {
  const before = state();
  for (const who of ['rita', 'audra'])
    for (const [name, input] of [
      ['identityRequests', {}],
      ['resolveCorrection', approveName],
      ['completeDeletion', deletion],
    ] as const)
      expect([who, name, await rights(tokens[who], name, input)]).toMatchObject([
        who,
        name,
        { status: 403, body: { error: { code: 'ROLE_FORBIDDEN' } } },
      ]);
  expect(state()).toBe(before);
});

test('bad input gets specific codes and changes nothing', async () => {
  const before = state();
  for (const [name, input] of [
    ['identityRequests', { limit: 0 }],
    ['identityRequests', { cursor: { requestedAt: 'x', seen: [] } }],
    ['resolveCorrection', { ...approveName, reasonCode: 'EVIDENCE_INSUFFICIENT' }],
    ['resolveCorrection', { ...approveName, reason: '   ' }],
    ['resolveCorrection', { ...approveName, field: 'address' }],
    ['completeDeletion', { ...deletion, openid: 'bad openid!' }],
    ['completeDeletion', { ...deletion, reasonCode: 'FRAUD_CONFIRMED' }],
  ] as const)
    expect([name, await rights(tokens.sam, name, input)]).toMatchObject([
      name,
      { status: 400, body: { error: { code: 'INVALID_INPUT' } } },
    ]);
  expect(await rights(tokens.sam, 'noSuchAction')).toMatchObject({
    body: { ok: false, error: { code: 'ROLE_FORBIDDEN' } },
  });
  expect(state()).toBe(before);
});

test('a supervisor lists the open requests masked, approves the correction and completes the deletion, named in the audit', async () => {
  const listed = await rights(tokens.sam, 'identityRequests');
  expect(listed.status).toBe(200);
  expect(listed.body.data).toEqual({
    items: [
      expect.objectContaining({
        openid: CORRECTOR.openid,
        kind: 'correction',
        field: 'name',
        proposed: '**明',
      }),
      expect.objectContaining({ openid: DELETER.openid, kind: 'deletion', canComplete: true }),
    ],
    next: null,
  });
  expect(JSON.stringify(listed.body)).not.toContain('吴晓明');
  expect(await rights(tokens.sam, 'resolveCorrection', approveName)).toMatchObject({
    status: 200,
    body: { ok: true, data: { state: 'completed', outcome: { reasonCode: 'DOCUMENT_VERIFIED' } } },
  });
  expect(await rights(tokens.sam, 'completeDeletion', deletion)).toMatchObject({
    status: 200,
    body: { ok: true, data: { openid: DELETER.openid, alreadyCompleted: false } },
  });
  expect(await rights(tokens.sam, 'identityRequests')).toMatchObject({
    body: { data: { items: [], next: null } },
  });
  const audit = docs<{ entry: { event: string; actor: string; subject: string } }>(emu, 'auditLog')
    .map((r) => r.entry)
    .filter((e) => e.actor === 'wb:sam' && e.event !== 'operator.signIn');
  expect(audit.map((e) => [e.event, e.subject])).toEqual([
    ['ops.identityRequests', 'ops'],
    ['identity.correction_resolved', `borrower:${CORRECTOR.openid}`],
    ['identity.deletion_completed', `borrower:${DELETER.openid}`],
    ['ops.identityRequests', 'ops'],
  ]);
});
