import { MemoryDocStore } from '../../server/storage/memory-store';
import { DEFAULT_DELIVERY, deliverDue, type NotifyPorts } from '../../server/outbox/deliver';
import { enqueueNotification } from '../../server/outbox/enqueue';
import { OUTBOX, type OutboxDoc } from '../../server/outbox/outbox-doc';
import { statusMessageData, type SmsNotice } from '../../server/outbox/template';
import { testClock } from './memory-fixtures';

const settings = {
  ...DEFAULT_DELIVERY,
  template: {
    templateId: 'tpl',
    page: 'pages/applications/index',
    miniprogramState: 'formal' as const,
    smsTemplateId: 'sms-tpl',
  },
};

function ports(behaviour: 'ok' | '43101' | 'down') {
  const sent: string[] = [];
  const sms: SmsNotice[] = [];
  const p: NotifyPorts = {
    async sendSubscribe(message) {
      await new Promise((r) => setTimeout(r, 5));
      if (behaviour === '43101') throw Object.assign(new Error('no grant'), { errCode: 43101 });
      if (behaviour === 'down') throw Object.assign(new Error('system busy'), { errCode: -1 });
      sent.push(message.touser);
    },
    async sendSms(_phone, notice) {
      sms.push(notice);
    },
    async phoneOf() {
      return '+8613800138000';
    },
  };
  return { p, sent, sms };
}

async function seed(store: MemoryDocStore, at: number): Promise<void> {
  await store.transact((tx) =>
    enqueueNotification(tx, {
      applicationId: 'a'.repeat(32),
      version: 3,
      openid: 'u1',
      status: 'approved',
      amount: 50_000,
      at,
    }),
  );
}

describe('notification outbox', () => {
  it('fits every template field within WeChat limits', () => {
    const data = statusMessageData('awaiting_confirmation', 1_000_000_000, Date.UTC(2026, 0, 1));
    expect(Array.from(data.thing1?.value ?? '').length).toBeLessThanOrEqual(20);
    expect(data.amount2?.value).toBe('¥10000000.00');
    expect(data.date3?.value).toBe('2026年1月1日 08:00');
  });

  it('sends once even when delivery runs concurrently (claim before send)', async () => {
    const store = new MemoryDocStore();
    const clock = testClock();
    await seed(store, clock.now());
    const { p, sent } = ports('ok');
    await Promise.all([1, 2, 3, 4, 5].map(() => deliverDue(store, clock, p, settings)));
    expect(sent).toEqual(['u1']);
    const doc = [...store.raw(OUTBOX).values()][0] as OutboxDoc;
    expect(doc).toMatchObject({ state: 'sent', channel: 'subscribe', attempts: 1 });
    await deliverDue(store, clock, p, settings);
    expect(sent).toHaveLength(1);
  });

  it('43101 falls back to an SMS that carries no loan content', async () => {
    const store = new MemoryDocStore();
    const clock = testClock();
    await seed(store, clock.now());
    const { p, sms } = ports('43101');
    expect((await deliverDue(store, clock, p, settings)).sent_sms).toBe(1);
    expect(sms).toEqual([
      { templateId: 'sms-tpl', params: [expect.stringMatching(/^\d{4}年\d+月\d+日 \d{2}:\d{2}$/)] },
    ]);
    expect(sms[0]!.params.join('')).not.toMatch(/借|贷|款|还|额|元/);
  });

  it('retries with backoff, then fails; a stale claim is never re-sent', async () => {
    const store = new MemoryDocStore();
    const clock = testClock();
    await seed(store, clock.now());
    const { p } = ports('down');
    expect((await deliverDue(store, clock, p, settings)).retry_later).toBe(1);
    expect(
      (await deliverDue(store, clock, p, settings)).skipped +
        (await deliverDue(store, clock, p, settings)).retry_later,
    ).toBe(0);
    for (const delay of settings.backoffMs) {
      clock.advance(delay);
      await deliverDue(store, clock, p, settings);
    }
    const doc = [...store.raw(OUTBOX).values()][0] as OutboxDoc;
    expect(doc).toMatchObject({
      state: 'failed',
      attempts: settings.backoffMs.length + 1,
      lastError: 'WX_-1',
    });

    const stale = new MemoryDocStore();
    await seed(stale, clock.now());
    const only = [...stale.raw(OUTBOX).values()][0] as OutboxDoc;
    Object.assign(only, { state: 'sending', claimExpiresAt: clock.now() - 1 });
    const watcher = ports('ok');
    await deliverDue(stale, clock, watcher.p, settings);
    expect(watcher.sent).toEqual([]);
    expect(only).toMatchObject({ state: 'failed', lastError: 'OUTCOME_UNKNOWN' });
  });
});
