import { NOTIFICATION_RETRY_DELAYS_MS } from '../../emulator/src/wechatpay/notifier';
import { WechatPayError } from '../../server/wechatpay';
import {
  createWaitingBill,
  startReceiver,
  startWechatPayHarness,
  transferInput,
  userAction,
  type NotificationReceiver,
  type WechatPayHarness,
} from './helpers';

async function errorOf(promise: Promise<unknown>): Promise<WechatPayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WechatPayError) return error;
    throw error;
  }
  throw new Error('expected a WechatPayError');
}

async function postFault(h: WechatPayHarness, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${h.emu.baseUrl}/_admin/wechatpay/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('WeChat Pay sandbox: API faults', () => {
  let h: WechatPayHarness;
  beforeAll(async () => {
    h = await startWechatPayHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.sandbox.reset();
  });

  test.each([
    ['system_error', 500, 'SYSTEM_ERROR'],
    ['frequency_limited', 429, 'FREQUENCY_LIMITED'],
    ['not_enough', 403, 'NOT_ENOUGH'],
    ['unknown_code', 500, 'SANDBOX_UNDOCUMENTED_ERROR'],
  ])(
    '%s on create: ambiguous, nothing created, the same number then succeeds',
    async (kind, status, code) => {
      const answer = await postFault(h, { target: 'api', endpoint: 'create', kind, count: 2 });
      expect(answer.status).toBe(200);
      const input = transferInput(h);
      for (let i = 0; i < 2; i += 1) {
        const error = await errorOf(h.client.createTransferBill(input));
        expect(error.details).toEqual({ httpStatus: status, apiCode: code });
        expect(error.outcomeUnknown).toBe(true);
      }
      expect(await h.client.queryTransferBill(input.outBillNo)).toBeNull();
      const created = await h.client.createTransferBill(input);
      expect(created.out_bill_no).toBe(input.outBillNo);
    },
  );

  test('faults are per endpoint: a query fault leaves create alone', async () => {
    h.sandbox.addFault({ target: 'api', endpoint: 'query', kind: 'system_error' });
    const input = transferInput(h);
    await h.client.createTransferBill(input);
    expect((await errorOf(h.client.queryTransferBill(input.outBillNo))).details.apiCode).toBe('SYSTEM_ERROR');
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('ACCEPTED');
  });

  test('confirmable at create: the next bills answer WAIT_USER_CONFIRM with package_info at once; later ones ACCEPTED', async () => {
    expect((await postFault(h, { target: 'confirmable_at_create', count: 1 })).status).toBe(200);
    const first = transferInput(h);
    const created = await h.client.createTransferBill(first);
    expect(created.state).toBe('WAIT_USER_CONFIRM');
    expect(created.package_info).toEqual(expect.any(String));
    expect((await h.client.queryTransferBill(first.outBillNo))?.state).toBe('WAIT_USER_CONFIRM');
    // Confirmable at once: the borrower's confirmation moves it on.
    expect(
      (await userAction(h, { package: created.package_info ?? '', openId: first.openid, action: 'confirm' }))
        .status,
    ).toBe(200);
    expect((await h.client.queryTransferBill(first.outBillNo))?.state).toBe('TRANSFERING');
    const second = transferInput(h);
    expect((await h.client.createTransferBill(second)).state).toBe('ACCEPTED');
  });

  test('timeout with the request taking effect: the client times out, the bill exists', async () => {
    h.sandbox.addFault({ target: 'api', endpoint: 'create', kind: 'timeout_applied', hangMs: 2_000 });
    const input = transferInput(h);
    const error = await errorOf(h.impatientClient.createTransferBill(input));
    expect(error.code).toBe('TIMEOUT');
    expect(error.outcomeUnknown).toBe(true);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('ACCEPTED');
    const retried = await h.client.createTransferBill(input);
    expect(retried.out_bill_no).toBe(input.outBillNo);
    expect(h.sandbox.listBills()).toHaveLength(1);
  });

  test('timeout without effect: the client times out, no bill exists', async () => {
    h.sandbox.addFault({ target: 'api', endpoint: 'create', kind: 'timeout_not_applied', hangMs: 2_000 });
    const input = transferInput(h);
    expect((await errorOf(h.impatientClient.createTransferBill(input))).code).toBe('TIMEOUT');
    expect(await h.client.queryTransferBill(input.outBillNo)).toBeNull();
  });

  test('timeout on cancel, applied: the cancel still happened', async () => {
    const { input } = await createWaitingBill(h);
    h.sandbox.addFault({ target: 'api', endpoint: 'cancel', kind: 'timeout_applied', hangMs: 2_000 });
    expect((await errorOf(h.impatientClient.cancelTransferBill(input.outBillNo))).code).toBe('TIMEOUT');
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('CANCELING');
  });

  test('a created bill can stay invisible to queries for a while', async () => {
    h.sandbox.addFault({ target: 'invisible', forMs: 10_000 });
    const input = transferInput(h);
    await h.client.createTransferBill(input);
    expect(await h.client.queryTransferBill(input.outBillNo)).toBeNull();
    await h.advance(10_000);
    expect((await h.client.queryTransferBill(input.outBillNo))?.state).toBe('WAIT_USER_CONFIRM');
  });

  test('bad fault specs are refused; clear empties the plan', async () => {
    expect((await postFault(h, { target: 'api', endpoint: 'refund', kind: 'system_error' })).status).toBe(
      400,
    );
    await postFault(h, { target: 'api', endpoint: 'query', kind: 'system_error', count: 3 });
    const cleared = (await (await postFault(h, { clear: true })).json()) as { faults: unknown[] };
    expect(cleared.faults).toEqual([]);
  });
});

describe('WeChat Pay sandbox: notification faults and retries', () => {
  let h: WechatPayHarness;
  let receiver: NotificationReceiver;
  beforeAll(async () => {
    h = await startWechatPayHarness();
    receiver = await startReceiver(h);
  });
  afterAll(async () => {
    await receiver.close();
    await h.stop();
  });
  beforeEach(async () => {
    await h.sandbox.reset();
    receiver.received.length = 0;
    receiver.respond = defaultRespond;
  });
  let defaultRespond: NotificationReceiver['respond'];
  beforeAll(() => {
    defaultRespond = receiver.respond;
  });

  /** Creates, confirms and settles a bill that notifies the receiver. */
  async function settledBill(): Promise<string> {
    const { input, packageInfo } = await createWaitingBill(h, { notifyUrl: receiver.url });
    await userAction(h, { package: packageInfo, openId: input.openid, action: 'confirm' });
    await h.advance(2_000);
    return input.outBillNo;
  }

  function notificationsOf(outBillNo: string) {
    return h.sandbox.listBills().find((entry) => entry.bill.outBillNo === outBillNo)?.notifications ?? [];
  }

  test('a receiver answering 500 gets retries on the production schedule, then the sandbox gives up', async () => {
    receiver.respond = () => 500;
    const outBillNo = await settledBill();
    expect(receiver.received).toHaveLength(1);
    const clock = h.emu.hub.clock;
    for (const [index, delay] of NOTIFICATION_RETRY_DELAYS_MS.entries()) {
      const lastDue = notificationsOf(outBillNo)[0]?.attempts.at(-1)?.dueAt ?? 0;
      // 10 s of margin: other services' timers may run during a jump while real time flows on.
      await clock.set(lastDue + delay - 10_000);
      expect(receiver.received).toHaveLength(index + 1);
      await clock.set(lastDue + delay);
      expect(receiver.received).toHaveLength(index + 2);
    }
    await h.advance(86_400_000);
    expect(receiver.received).toHaveLength(16);
    const [record] = notificationsOf(outBillNo);
    expect(record?.status).toBe('gave_up');
    const dues = (record?.attempts ?? []).map((a) => a.dueAt);
    expect(dues.slice(1).map((due, i) => due - (dues[i] ?? 0))).toEqual([...NOTIFICATION_RETRY_DELAYS_MS]);
    const ids = new Set(receiver.received.map((r) => (JSON.parse(r.body.toString()) as { id: string }).id));
    expect(ids.size).toBe(1);
  });

  test('retries stop as soon as the receiver answers 204', async () => {
    let answers = 0;
    receiver.respond = () => (++answers < 3 ? 503 : 204);
    const outBillNo = await settledBill();
    await h.advance(15_000);
    await h.advance(15_000);
    await h.advance(6 * 3_600_000);
    expect(receiver.received).toHaveLength(3);
    expect(notificationsOf(outBillNo)[0]?.status).toBe('delivered');
  });

  test('a dropped notification is never sent (reconcile by querying)', async () => {
    h.sandbox.addFault({ target: 'notification', kind: 'drop' });
    const outBillNo = await settledBill();
    await h.advance(86_400_000);
    expect(receiver.received).toHaveLength(0);
    expect(notificationsOf(outBillNo)[0]?.status).toBe('dropped');
    expect((await h.client.queryTransferBill(outBillNo))?.state).toBe('SUCCESS');
  });

  test('a duplicated notification arrives twice about 1 s apart, same id and body', async () => {
    h.sandbox.addFault({ target: 'notification', kind: 'duplicate' });
    await settledBill();
    expect(receiver.received).toHaveLength(1);
    await h.advance(1_000);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.body.equals(receiver.received[0]?.body ?? Buffer.alloc(0))).toBe(true);
  });

  test('a delayed notification arrives after the scripted delay', async () => {
    h.sandbox.addFault({ target: 'notification', kind: 'delay', delayMs: 120_000 });
    await settledBill();
    await h.advance(100_000);
    expect(receiver.received).toHaveLength(0);
    await h.advance(20_000);
    expect(receiver.received).toHaveLength(1);
  });

  test('a reordered notification arrives after the next one', async () => {
    h.sandbox.addFault({ target: 'notification', kind: 'reorder' });
    const first = await settledBill();
    expect(receiver.received).toHaveLength(0);
    const second = await settledBill();
    const order = receiver.received.map((r) => r.body.toString());
    expect(order).toHaveLength(2);
    const bodies = receiver.received.map((r) => (JSON.parse(r.body.toString()) as { id: string }).id);
    expect(bodies).toEqual([notificationsOf(second)[0]?.id, notificationsOf(first)[0]?.id]);
  });

  test('a probe-signed copy comes first; the library refuses it and the real one is accepted', async () => {
    h.sandbox.addFault({ target: 'notification', kind: 'probe_signature' });
    const outBillNo = await settledBill();
    expect(receiver.received).toHaveLength(2);
    expect(String(receiver.received[0]?.headers['wechatpay-signature'])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    const [record] = notificationsOf(outBillNo);
    expect(record?.attempts.map((a) => [a.variant ?? 'regular', a.status])).toEqual([
      ['probe', 401],
      ['regular', 200],
    ]);
    expect(record?.status).toBe('delivered');
  });
});
