import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import { startPayout } from '../../server/payout/engine';
import { retryPayout } from '../../server/payout/manage';
import { settle } from '../../server/payout/settle';
import { handleTransferNotification } from '../../server/payout/notify';
import type { PayoutDeps } from '../../server/payout/ports';
import {
  assertPayoutInvariants,
  driveToSuccess,
  fault,
  payoutOf,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';
import { deliver, resign, signedNotification, type SignedNotification } from './notifications-kit';

const SYSTEM = { id: 'system:test', type: 'system' } as const;

describe('transfer notifications: applied once, forgeries and stale copies change nothing', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function auditCount(): Promise<number> {
    return (await h.docs.find(AUDIT_COLLECTION, {}, { limit: 1000 })).length;
  }

  /** A loan paid out for real, with the body of the genuine notification WeChat sent. */
  async function paidLoan(amount: number) {
    const loan = await seedApprovedLoan(h, amount);
    await startPayout(h.deps, loan, SYSTEM);
    await driveToSuccess(h, loan.loanId);
    const doc = await payoutOf(h, loan.loanId);
    const notification = sandboxBillsOf(h, doc)[0]?.notifications[0];
    if (!notification) throw new Error('no notification sent');
    return { loan, doc, body: notification.body };
  }

  test('identical replay, re-signed replay and concurrent copies are applied once', async () => {
    const { loan, doc, body } = await paidLoan(31_000);
    expect(doc.status).toBe('succeeded');
    const audits = await auditCount();
    const replay = resign(h, body);
    expect(await deliver(h, replay)).toBe(204);
    expect(await deliver(h, replay)).toBe(204);
    await h.advance(60_000);
    expect(await deliver(h, resign(h, body))).toBe(204);
    const copies = await Promise.all(Array.from({ length: 5 }, () => deliver(h, resign(h, body))));
    expect(copies).toEqual([204, 204, 204, 204, 204]);
    const after = await assertPayoutInvariants(h, loan.loanId);
    expect(after.version).toBe(doc.version);
    expect(await auditCount()).toBe(audits);
  });

  test('two copies 1 s apart from WeChat itself, and a probe before them', async () => {
    const loan = await seedApprovedLoan(h, 32_000);
    fault(h, { target: 'notification', kind: 'probe_signature' });
    fault(h, { target: 'notification', kind: 'duplicate' });
    await startPayout(h.deps, loan, SYSTEM);
    await driveToSuccess(h, loan.loanId);
    await h.steps(2);
    const doc = await assertPayoutInvariants(h, loan.loanId);
    expect(doc.status).toBe('succeeded');
    const attempts = sandboxBillsOf(h, doc).flatMap((l) => l.notifications.flatMap((n) => n.attempts));
    expect(attempts.some((a) => a.variant === 'probe' && a.status === 401)).toBe(true);
    expect(attempts.filter((a) => a.status === 204).length).toBeGreaterThanOrEqual(1);
    expect(doc.bills[0]?.history.filter((e) => e.to === 'SUCCESS')).toHaveLength(1);
  });

  test('forgeries are refused with 4xx and change nothing', async () => {
    const { loan, doc } = await paidLoan(33_000);
    const other = await seedApprovedLoan(h, 34_000);
    const pending = await startPayout(h.deps, other, SYSTEM);
    const bill = pending.bills[0];
    if (!bill) throw new Error('no bill');
    const audits = await auditCount();
    const genuine = {
      outBillNo: bill.outBillNo,
      state: 'SUCCESS' as const,
      amount: bill.amount,
      openid: other.openid,
    };
    const flip = (n: SignedNotification, where: 'ciphertext' | 'tag'): SignedNotification => {
      const envelope = JSON.parse(n.body) as { resource: { ciphertext: string } };
      const bytes = Buffer.from(envelope.resource.ciphertext, 'base64');
      const index = where === 'tag' ? bytes.length - 1 : 0;
      bytes[index] = (bytes[index] ?? 0) ^ 0x01;
      envelope.resource.ciphertext = bytes.toString('base64');
      return resign(h, JSON.stringify(envelope));
    };
    const probe = signedNotification(h, genuine);
    probe.headers['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${Buffer.from('x').toString('base64')}`;
    const tampered = signedNotification(h, genuine);
    const forgeries: Array<[string, SignedNotification, number]> = [
      ['probe signature', probe, 401],
      [
        'unknown serial',
        signedNotification(h, genuine, { serial: 'PUB_KEY_ID_0000000000000000000000000000' }),
        401,
      ],
      [
        'body changed after signing',
        { ...tampered, body: tampered.body.replace('"encrypt-resource"', '"encrypt-resourcf"') },
        401,
      ],
      ['flipped ciphertext bit', flip(signedNotification(h, genuine), 'ciphertext'), 400],
      ['flipped tag bit', flip(signedNotification(h, genuine), 'tag'), 400],
      ['wrong amount', signedNotification(h, { ...genuine, amount: bill.amount + 1 }), 400],
      ['wrong openid', signedNotification(h, { ...genuine, openid: 'o-attacker' }), 400],
      ['wrong merchant', signedNotification(h, { ...genuine, mchId: '1999999999' }), 400],
      [
        'unknown bill',
        signedNotification(h, { ...genuine, outBillNo: 'WL00000000000000000000000000A001' }),
        404,
      ],
      ['unknown event type', signedNotification(h, { ...genuine, eventType: 'TRANSACTION.SUCCESS' }), 400],
    ];
    for (const [, n, status] of forgeries) expect(await deliver(h, n)).toBe(status);
    const getRefused = await fetch(`${h.emu.baseUrl}/http/payNotify`);
    expect(getRefused.status).toBe(405);
    expect((await payoutOf(h, other.loanId)).version).toBe(pending.version);
    expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
    expect(await auditCount()).toBe(audits);
    await driveToSuccess(h, other.loanId);
    await assertPayoutInvariants(h, other.loanId);
  });

  test('a handler slower than 5 s (past its own timeout) is retried by WeChat and applied once', async () => {
    const loan = await seedApprovedLoan(h, 39_500);
    await startPayout(h.deps, loan, SYSTEM);
    h.functionEnv.WXLEND_NOTIFY_DELAY_MS = '5500';
    try {
      await driveToSuccess(h, loan.loanId);
    } finally {
      delete h.functionEnv.WXLEND_NOTIFY_DELAY_MS;
    }
    const before = await payoutOf(h, loan.loanId);
    const attempts = sandboxBillsOf(h, before).flatMap((l) => l.notifications.flatMap((n) => n.attempts));
    expect(attempts[0]?.status === undefined || (attempts[0]?.status ?? 0) >= 500).toBe(true);
    await h.advance(15_000);
    await h.steps(1);
    const doc = await assertPayoutInvariants(h, loan.loanId);
    expect(doc.status).toBe('succeeded');
    expect(doc.bills[0]?.history.filter((e) => e.to === 'SUCCESS')).toHaveLength(1);
    const after = sandboxBillsOf(h, doc).flatMap((l) => l.notifications.flatMap((n) => n.attempts));
    expect(after.some((a) => a.status === 204)).toBe(true);
  });

  test('a final state is never undone by a stale query answer', async () => {
    const { loan, doc } = await paidLoan(35_000);
    const bill = doc.bills[0];
    if (!bill) throw new Error('no bill');
    for (const state of ['WAIT_USER_CONFIRM', 'PROCESSING', 'FAIL', 'CANCELLED'] as const) {
      await settle(h.deps, { outBillNo: bill.outBillNo, state, source: 'query' });
    }
    expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
  });

  test('a notification that arrives before the create reply was stored is applied, then a new number is allowed', async () => {
    const loan = await seedApprovedLoan(h, 36_000);
    const crashing: PayoutDeps = {
      ...h.deps,
      crashPoint: (p) => {
        if (p === 'payout.after_send') throw new Error('crash');
      },
    };
    await expect(startPayout(crashing, loan, SYSTEM)).rejects.toThrow('crash');
    expect((await payoutOf(h, loan.loanId)).bills[0]?.phase).toBe('INTENT');
    // Unconfirmed for 24 h: WeChat closes the bill and notifies FAIL while we still hold INTENT.
    await h.advance(24 * 3_600_000 + 1_000);
    await h.steps(1);
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.bills[0]?.phase).toBe('FAIL');
    expect(doc.bills[0]?.failReason).toBe('OVERDUE_CLOSE');
    expect(doc.status).toBe('failed');
    await assertPayoutInvariants(h, loan.loanId);
    const retried = await retryPayout(h.deps, loan.loanId, { id: loan.openid, type: 'borrower' }, false);
    expect(retried.billNos).toHaveLength(2);
    await driveToSuccess(h, loan.loanId);
    expect((await assertPayoutInvariants(h, loan.loanId)).status).toBe('succeeded');
  });

  test('a base64-encoded integration body verifies on the decoded bytes', async () => {
    const { loan, doc, body } = await paidLoan(37_000);
    const n = resign(h, body);
    const result = await h.functions.invoke({
      name: 'payNotify',
      event: {
        httpMethod: 'POST',
        headers: n.headers,
        body: Buffer.from(n.body).toString('base64'),
        isBase64Encoded: true,
      },
      source: 'wx_http',
    });
    expect(result.result).toMatchObject({ statusCode: 204 });
    expect((await payoutOf(h, loan.loanId)).version).toBe(doc.version);
  });

  test('clock skew: ±299 s accepted, ±301 s refused, in both directions', async () => {
    const { body } = await paidLoan(38_000);
    const fixedNow = h.now();
    const fixed: PayoutDeps = { ...h.deps, clock: { now: () => fixedNow } };
    const nowSeconds = Math.floor(fixedNow / 1000);
    const statusAt = async (offset: number) => {
      const n = resign(h, body, nowSeconds + offset);
      return (
        await handleTransferNotification(fixed, h.runtime.keys, {
          httpMethod: 'POST',
          headers: n.headers,
          body: n.body,
        })
      ).statusCode;
    };
    expect(await statusAt(299)).toBe(204);
    expect(await statusAt(-299)).toBe(204);
    expect(await statusAt(301)).toBe(401);
    expect(await statusAt(-301)).toBe(401);
    // And through HTTP access, on the sides a second boundary cannot blur.
    expect(await deliver(h, resign(h, body, Math.floor(h.now() / 1000) - 299 + 5))).toBe(204);
    expect(await deliver(h, resign(h, body, Math.floor(h.now() / 1000) - 301))).toBe(401);
  });
});
