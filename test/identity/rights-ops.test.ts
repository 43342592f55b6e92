import cloud from 'wx-server-sdk';
import { databaseDump, documents } from './emulator-harness';
import { signedConsent } from '../helpers/signed-consent';
import type { TestEmulator } from '../helpers/emulator';
import { IDS } from '../loan/memory-fixtures';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

/**
 * Operators answering borrowers' rights requests through the real SDK against the local backend:
 * the `ops` actions identityRequests, resolveCorrection and completeDeletion, who may call them,
 * and what a closed account can still do (nothing) and still holds (retention only).
 */

const DELETER = { openid: 'o-rops-deleter', name: '周明', idNumber: IDS.approve, phone: '13800138001' };
const CORRECTOR = { openid: 'o-rops-corrector', name: '吴明', idNumber: IDS.reject, phone: '13800138002' };
const LOANER = { openid: 'o-rops-loaner', name: '郑强', idNumber: IDS.review, phone: '13800138003' };
const SUPERVISOR = 'o-rops-supervisor';
const REVIEWER = 'o-rops-reviewer';

let emu: TestEmulator;

beforeAll(async () => {
  emu = await startLendingEmulator();
  for (const person of [DELETER, CORRECTOR, LOANER]) await verifyBorrower(emu, person.openid, person);
  const db = cloud.database();
  for (const [id, role] of [
    [SUPERVISOR, 'supervisor'],
    [REVIEWER, 'reviewer'],
  ] as const)
    await db
      .collection('operators')
      .doc(id)
      .set({ data: { role, active: true } });
}, 180_000);
afterAll(async () => {
  await emu.stop();
});

const identity = (openid: string, data: Record<string, unknown>) => callAs(emu, openid, 'identity', data);
const ops = (openid: string, data: Record<string, unknown>) => callAs(emu, openid, 'ops', data);
const later = () => emu.hub.clock.advance(1_000);

/** Audit records on a borrower's chain, in order. */
function chain(openid: string): Array<{ event: string; actor: string; details: Record<string, unknown> }> {
  return docs<{
    chain: string;
    seq: number;
    entry: { event: string; actor: string; details: Record<string, unknown> };
  }>(emu, 'auditLog')
    .filter((r) => r.chain === `borrower:${openid}`)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.entry);
}

interface Page {
  items: Array<{ requestId: string; kind: string; field?: string; requestedAt: number; proposed?: string }>;
  next: { requestedAt: number; seen: string[] } | null;
}

test('identityRequests lists open requests oldest first, masked, page by page with a cursor', async () => {
  for (const [field, detail] of [
    ['name', '吴晓明'],
    ['phone', '13911112222'],
    ['idNumber', '110101199003071233'],
  ] as const) {
    expect(await identity(CORRECTOR.openid, { action: 'requestCorrection', field, detail })).toMatchObject({
      ok: true,
    });
    await later();
  }
  expect(await identity(DELETER.openid, { action: 'requestDeletion' })).toMatchObject({ ok: true });

  const first = await ops(SUPERVISOR, { action: 'identityRequests', limit: 3 });
  if (!first.ok) throw new Error(first.error.code);
  const page1 = first.data as unknown as Page;
  expect(page1.items.map((i) => [i.kind, i.field])).toEqual([
    ['correction', 'name'],
    ['correction', 'phone'],
    ['correction', 'idNumber'],
  ]);
  expect(page1.items.map((i) => i.proposed)).toEqual(['**明', '139****2222', '1****************3']);
  expect(page1.next).not.toBeNull();
  const second = await ops(SUPERVISOR, { action: 'identityRequests', limit: 3, cursor: page1.next });
  if (!second.ok) throw new Error(second.error.code);
  const page2 = second.data as unknown as Page;
  expect(page2).toEqual({
    items: [
      expect.objectContaining({
        requestId: `${DELETER.openid}:deletion`,
        kind: 'deletion',
        canComplete: true,
        borrower: { maskedName: '*明', maskedIdNumber: '1****************3' },
      }),
    ],
    next: null,
  });
  const shown = JSON.stringify([page1, page2]);
  for (const secret of ['吴晓明', '13911112222', DELETER.name, CORRECTOR.phone])
    expect(shown).not.toContain(secret);
  expect(
    await ops(SUPERVISOR, { action: 'identityRequests', cursor: { requestedAt: 'x', seen: [] } }),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('a borrower and a reviewer are refused every rights action, and nothing changes', async () => {
  const before = JSON.stringify([docs(emu, 'identityRequests'), docs(emu, 'borrowers')]);
  const calls = [
    { action: 'identityRequests' },
    {
      action: 'resolveCorrection',
      openid: CORRECTOR.openid,
      field: 'name',
      decision: 'approve',
      reasonCode: 'DOCUMENT_VERIFIED',
      reason: '核对身份证原件一致',
    },
    {
      action: 'completeDeletion',
      openid: DELETER.openid,
      reasonCode: 'CUSTOMER_REQUEST',
      reason: '本人申请注销',
    },
  ];
  for (const call of calls) {
    expect(await ops(CORRECTOR.openid, call)).toMatchObject({
      ok: false,
      error: { code: 'OPERATOR_REQUIRED' },
    });
    expect(await ops(REVIEWER, call)).toMatchObject({ ok: false, error: { code: 'SUPERVISOR_REQUIRED' } });
  }
  expect(JSON.stringify([docs(emu, 'identityRequests'), docs(emu, 'borrowers')])).toBe(before);
});

test('resolveCorrection: approval applies name and phone, records the ID number for re-verification; rejection changes nothing', async () => {
  const resolve = (field: string, decision: string, reasonCode: string) =>
    ops(SUPERVISOR, {
      action: 'resolveCorrection',
      openid: CORRECTOR.openid,
      field,
      decision,
      reasonCode,
      reason: '核对户籍证明与身份证原件',
    });
  expect(await resolve('name', 'approve', 'MATCHES_OFFICIAL_RECORD')).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  });
  const approved = await resolve('name', 'approve', 'DOCUMENT_VERIFIED');
  expect(approved).toEqual({
    ok: true,
    data: {
      field: 'name',
      state: 'completed',
      requestedAt: expect.any(Number),
      outcome: { resolvedAt: expect.any(Number), reasonCode: 'DOCUMENT_VERIFIED', effect: 'applied' },
    },
  });
  expect(await resolve('name', 'approve', 'DOCUMENT_VERIFIED')).toEqual(approved);
  expect(await resolve('name', 'reject', 'INVALID_VALUE')).toMatchObject({
    ok: false,
    error: { code: 'CORRECTION_NOT_OPEN' },
  });
  expect(await resolve('phone', 'reject', 'MATCHES_OFFICIAL_RECORD')).toMatchObject({
    ok: true,
    data: { state: 'refused', outcome: { effect: 'none', reasonCode: 'MATCHES_OFFICIAL_RECORD' } },
  });
  expect(await resolve('idNumber', 'approve', 'OFFICIAL_RECORD_CHECKED')).toMatchObject({
    ok: true,
    data: { state: 'completed', outcome: { effect: 'reverify' } },
  });

  const profile = await identity(CORRECTOR.openid, { action: 'profile' });
  if (!profile.ok) throw new Error(profile.error.code);
  expect(profile.data.identity).toMatchObject({ maskedName: '**明', maskedPhone: '138****8002' });
  expect(profile.data.corrections).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        field: 'name',
        state: 'completed',
        outcome: expect.objectContaining({ effect: 'applied' }),
      }),
      expect.objectContaining({ field: 'phone', state: 'refused' }),
      expect.objectContaining({
        field: 'idNumber',
        outcome: expect.objectContaining({ effect: 'reverify' }),
      }),
    ]),
  );
  // Answered requests no longer hold the borrower's text; the audit names the operator, never the values.
  expect(docs(emu, 'identityRequests').filter((r) => r.kind === 'correction' && 'detail' in r)).toEqual([]);
  const resolved = chain(CORRECTOR.openid).filter((e) => e.event === 'identity.correction_resolved');
  expect(resolved.map((e) => [e.actor, e.details.field, e.details.decision])).toEqual([
    [SUPERVISOR, 'name', 'approve'],
    [SUPERVISOR, 'phone', 'reject'],
    [SUPERVISOR, 'idNumber', 'approve'],
  ]);
  expect(JSON.stringify(resolved)).not.toContain('吴晓明');
  expect(await ops(SUPERVISOR, { action: 'identityRequests' })).toMatchObject({
    ok: true,
    data: { items: [expect.objectContaining({ kind: 'deletion' })] },
  });
});

test('completeDeletion: refused while a loan is active; closes the account, keeps only what retention needs', async () => {
  const apply = await callAs(emu, LOANER.openid, 'loan', {
    action: 'apply',
    requestId: 'rops-loaner-1',
    amount: 20_000,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: 'rops-device',
    consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
  });
  expect(apply).toMatchObject({ ok: true });
  // A request that reached the queue while the application was being filed (the console can show one).
  await cloud
    .database()
    .collection('identityRequests')
    .doc(`${LOANER.openid}:deletion`)
    .set({
      data: { openid: LOANER.openid, kind: 'deletion', state: 'received', requestedAt: 1, updatedAt: 1 },
    });
  const complete = (openid: string) =>
    ops(SUPERVISOR, {
      action: 'completeDeletion',
      openid,
      reasonCode: 'CUSTOMER_REQUEST',
      reason: '本人申请注销账号',
    });
  expect(await complete(LOANER.openid)).toMatchObject({ ok: false, error: { code: 'DELETION_LOAN_ACTIVE' } });
  expect(await complete(CORRECTOR.openid)).toMatchObject({
    ok: false,
    error: { code: 'DELETION_NOT_REQUESTED' },
  });

  const done = await complete(DELETER.openid);
  expect(done).toEqual({
    ok: true,
    data: {
      openid: DELETER.openid,
      deletion: {
        state: 'completed',
        requestedAt: expect.any(Number),
        updatedAt: expect.any(Number),
        retainedUntil: expect.stringMatching(/^20(3[6-9])-\d\d-\d\d$/),
      },
      alreadyCompleted: false,
    },
  });
  const auditBefore = docs(emu, 'auditLog').length;
  expect(await complete(DELETER.openid)).toMatchObject({ ok: true, data: { alreadyCompleted: true } });
  expect(docs(emu, 'auditLog')).toHaveLength(auditBefore);

  // The borrower sees the outcome and can neither apply nor verify again.
  expect(await identity(DELETER.openid, { action: 'profile' })).toMatchObject({
    ok: true,
    data: { identity: null, applyBlock: 'account_closed', deletion: { state: 'completed' } },
  });
  const refused = await callAs(emu, DELETER.openid, 'loan', {
    action: 'apply',
    requestId: 'rops-deleter-1',
    amount: 20_000,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: 'rops-device-2',
    consent: signedConsent(20_000, 6, 'equal_instalment', emu.hub.clock.now()),
  });
  expect(refused).toMatchObject({ ok: false, error: { code: 'ACCOUNT_CLOSED' } });
  await expect(verifyBorrower(emu, DELETER.openid, DELETER)).rejects.toThrow('verify ACCOUNT_CLOSED');
  // No request of the borrower's own reopens the account.
  expect(await identity(DELETER.openid, { action: 'requestDeletion' })).toMatchObject({
    ok: true,
    data: { state: 'completed' },
  });
  expect(await identity(DELETER.openid, { action: 'cancelDeletion' })).toMatchObject({
    ok: false,
    error: { code: 'DELETION_NOT_PENDING' },
  });
  const status = await identity(DELETER.openid, { action: 'status' });
  const version = status.ok ? (status.data.notice as { version: string }).version : '';
  expect(await identity(DELETER.openid, { action: 'withdrawConsent', noticeVersion: version })).toMatchObject(
    {
      ok: true,
    },
  );
  expect(await identity(DELETER.openid, { action: 'status' })).toMatchObject({
    ok: true,
    data: { verified: false, applyBlock: 'account_closed' },
  });

  // Retention only: envelopes and the blind index stay, masks and the live identity are gone,
  // the ID number's index no longer names the openid, and no plaintext is stored anywhere.
  const borrower = documents(emu).borrowers?.find(
    (b) => (b as { _id: string })._id === DELETER.openid,
  ) as Record<string, unknown>;
  expect(borrower.identity).toBeUndefined();
  expect(borrower.retained).toMatchObject({
    retentionOnly: true,
    retainedUntil: (done.ok && (done.data.deletion as { retainedUntil: string }).retainedUntil) || '-',
    idHash: expect.any(String),
    encrypted: { name: expect.anything(), idNumber: expect.anything(), phone: expect.anything() },
  });
  expect(JSON.stringify(borrower)).not.toMatch(/masked|\*明|phoneHash/);
  const index = docs<{ _id: string; openid: string | null }>(emu, 'identityIndex').find(
    (d) => d._id === (borrower.retained as { idHash: string }).idHash,
  );
  expect(index?.openid).toBeNull();
  const dump = databaseDump(emu);
  for (const secret of [DELETER.name, DELETER.idNumber, DELETER.phone]) expect(dump).not.toContain(secret);
  const closing = chain(DELETER.openid).find((e) => e.event === 'identity.deletion_completed');
  expect(closing).toMatchObject({
    event: 'identity.deletion_completed',
    actor: SUPERVISOR,
    details: { reasonCode: 'CUSTOMER_REQUEST', identityRetained: true },
  });
  expect(await ops(SUPERVISOR, { action: 'verifyAudit' })).toMatchObject({ ok: true, data: { ok: true } });

  // The released ID number may open a new account under another openid.
  await verifyBorrower(emu, 'o-rops-newcomer', DELETER);
  expect(await identity('o-rops-newcomer', { action: 'status' })).toMatchObject({
    ok: true,
    data: { verified: true, applyBlock: null },
  });
});

test('completeDeletion of a never-verified user records the closure so a later verification is refused', async () => {
  const openid = 'o-rops-unverified';
  expect(await identity(openid, { action: 'requestDeletion' })).toMatchObject({ ok: true });
  expect(
    await ops(SUPERVISOR, {
      action: 'completeDeletion',
      openid,
      reasonCode: 'CUSTOMER_REQUEST',
      reason: '本人申请注销账号',
    }),
  ).toMatchObject({ ok: true, data: { deletion: { state: 'completed' }, alreadyCompleted: false } });
  expect(chain(openid).at(-1)).toMatchObject({
    event: 'identity.deletion_completed',
    details: { identityRetained: false },
  });
  await expect(
    verifyBorrower(emu, openid, { name: '冯明', idNumber: IDS.thin, phone: '13800138009' }),
  ).rejects.toThrow('verify ACCOUNT_CLOSED');
});
