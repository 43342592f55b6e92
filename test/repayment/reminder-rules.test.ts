import { DEFAULT_DELIVERY, deliverDue, type NotifyPorts } from '../../server/outbox/deliver';
import { isDaytime, nextDaytime } from '../../server/outbox/daytime';
import { OUTBOX, type ComposedNoticeDoc, type OutboxDoc } from '../../server/outbox/outbox-doc';
import { checkTemplateFields } from '../../server/outbox/template-fields';
import { reminderTemplate, type SmsNotice } from '../../server/outbox/template';
import { MemoryDocStore } from '../../server/storage/memory-store';
import { contractPlan } from '../../server/repayment/contract-schedule';
import type { RepaymentPlanDoc } from '../../server/repayment/plan-doc';
import { REPAYMENT_COLLECTIONS } from '../../server/repayment/plan-doc';
import {
  assertLockScreenSafe,
  LOCK_SCREEN_UNSAFE,
  reminderMessage,
} from '../../server/repayment/reminder-message';
import {
  oneReminderPerBorrower,
  reminderFor,
  REMINDER_KINDS,
  type DueReminder,
} from '../../server/repayment/reminders';
import { addDays } from '../../server/repayment/due-dates';
import { chinaTime, landingApplication, TEST_REPAYMENT_CONFIG } from './fixtures';

/** A 3-month loan disbursed on 2026-01-10 (China): instalments due 02-10, 03-10, 04-10. */
function plan(openid = 'o-rule', loanId = 'L-rule'): RepaymentPlanDoc {
  const at = chinaTime('2026-01-10T10:00:00');
  return contractPlan(landingApplication(loanId, openid, at), at, TEST_REPAYMENT_CONFIG);
}

describe('the daytime rule (collection contact 08:00–21:00 China time)', () => {
  it('is daytime from 08:00 inclusive to 21:00 exclusive', () => {
    expect(isDaytime(chinaTime('2026-02-10T07:59:59'))).toBe(false);
    expect(isDaytime(chinaTime('2026-02-10T08:00:00'))).toBe(true);
    expect(isDaytime(chinaTime('2026-02-10T20:59:59'))).toBe(true);
    expect(isDaytime(chinaTime('2026-02-10T21:00:00'))).toBe(false);
    expect(isDaytime(chinaTime('2026-02-10T00:05:00'))).toBe(false);
  });

  it('a night-time moment moves to the next 08:00; a daytime one stays', () => {
    expect(nextDaytime(chinaTime('2026-02-10T00:05:00'))).toBe(chinaTime('2026-02-10T08:00:00'));
    expect(nextDaytime(chinaTime('2026-02-10T21:00:00'))).toBe(chinaTime('2026-02-11T08:00:00'));
    expect(nextDaytime(chinaTime('2026-02-28T23:59:59'))).toBe(chinaTime('2026-03-01T08:00:00'));
    const noon = chinaTime('2026-02-10T12:00:00');
    expect(nextDaytime(noon)).toBe(noon);
  });
});

describe('which reminder, on which day', () => {
  it('3 days before, on the due date, and 1, 3, 7 days after — no other day', () => {
    const p = plan();
    const kinds = new Map<string, string>();
    for (let offset = -10; offset <= 10; offset += 1) {
      const day = addDays('2026-02-10', offset);
      const reminder = reminderFor(p, day);
      if (reminder) kinds.set(day, reminder.kind);
    }
    expect(Object.fromEntries(kinds)).toEqual({
      '2026-02-07': 'due_in_3_days',
      '2026-02-10': 'due_today',
      '2026-02-11': 'overdue_day_1',
      '2026-02-13': 'overdue_day_3',
      '2026-02-17': 'overdue_day_7',
    });
  });

  it('follows the earliest unpaid instalment; a settled loan gets none', () => {
    const p = plan();
    const firstPaid = {
      ...p,
      instalments: p.instalments.map((i, n) => (n === 0 ? { ...i, status: 'paid' as const } : i)),
    };
    expect(reminderFor(firstPaid, '2026-02-10')).toBeUndefined();
    expect(reminderFor(firstPaid, '2026-03-07')?.kind).toBe('due_in_3_days');
    expect(reminderFor({ ...p, status: 'settled' }, '2026-02-10')).toBeUndefined();
  });

  it('one a day per borrower: the most urgent of the day', () => {
    const a = plan('o-two', 'L-a');
    const b = plan('o-two', 'L-b');
    const other = plan('o-other', 'L-c');
    const reminders: DueReminder[] = [
      { kind: 'due_in_3_days', dueDate: '2026-02-10', plan: a },
      { kind: 'overdue_day_3', dueDate: '2026-02-04', plan: b },
      { kind: 'due_today', dueDate: '2026-02-07', plan: other },
    ];
    const chosen = oneReminderPerBorrower(reminders);
    expect(chosen.map((r) => [r.plan.openid, r.kind]).sort()).toEqual([
      ['o-other', 'due_today'],
      ['o-two', 'overdue_day_3'],
    ]);
  });
});

describe('the lock-screen rule and the template limits', () => {
  it('every kind of reminder fits its template and shows no amount or debt wording', () => {
    const template = reminderTemplate({});
    for (const kind of REMINDER_KINDS) {
      const message = reminderMessage(template, { kind, dueDate: '2026-02-10', plan: plan() });
      expect(() => checkTemplateFields(message.data)).not.toThrow();
      const texts = [...Object.values(message.data).map((f) => f.value), ...message.sms.params];
      for (const text of texts) expect(text).not.toMatch(LOCK_SCREEN_UNSAFE);
      expect(message).toMatchObject({
        templateId: 'repayment-reminder',
        page: 'packages/borrow/repay/index?id=L-rule',
        daytimeOnly: true,
        sms: { templateId: 'repayment-reminder-sms', params: ['2026年2月10日'] },
        onlyIf: { collection: 'repaymentPlans', id: 'L-rule', field: 'nextDueKey', equals: 20260210 },
      });
      expect(message.data.date2?.value).toBe('2026年2月10日');
    }
  });

  it('refuses an amount, a currency sign and debt words', () => {
    for (const unsafe of ['应还¥300.00', '300.00元', '您已逾期3天', '罚息已产生', '借款待还', '催收通知']) {
      expect(() => assertLockScreenSafe([unsafe])).toThrow(/lock-screen rule/);
    }
    expect(() => assertLockScreenSafe(['您的账单今日到期', '2026年2月10日'])).not.toThrow();
  });

  it('refuses a field over its limit or of an unknown type', () => {
    expect(() => checkTemplateFields({ thing1: { value: '一'.repeat(21) } })).toThrow(/thing limit/);
    expect(() => checkTemplateFields({ date2: { value: '2月10日' } })).toThrow(/date limit/);
    expect(() => checkTemplateFields({ phrase3: { value: '待处理事项多' } })).toThrow(/phrase limit/);
    expect(() => checkTemplateFields({ amount4: { value: '¥12345678901' } })).toThrow(/amount limit/);
    expect(() => checkTemplateFields({ mystery5: { value: 'x' } })).toThrow(/unknown field type/);
  });
});

describe('delivering a reminder', () => {
  const settings = {
    ...DEFAULT_DELIVERY,
    template: { templateId: 'tpl', page: 'p', miniprogramState: 'formal' as const, smsTemplateId: 'sms' },
  };

  function ports(grant: boolean) {
    const sent: Array<{ templateId: string; data: unknown }> = [];
    const sms: SmsNotice[] = [];
    const p: NotifyPorts = {
      async sendSubscribe(message) {
        if (!grant) throw Object.assign(new Error('no grant'), { errCode: 43101 });
        sent.push({ templateId: message.templateId, data: message.data });
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

  /** A store holding the plan and its due-today reminder, due for delivery at `dueAt`. */
  async function seeded(dueAt: number) {
    const store = new MemoryDocStore();
    const p = plan();
    const doc: ComposedNoticeDoc = {
      _id: 'remind-2026-02-10-o-rule',
      openid: p.openid,
      applicationId: p._id,
      status: 'repaying',
      createdAt: dueAt,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: dueAt,
      claimExpiresAt: 0,
      topic: 'reminder:due_today',
      message: reminderMessage(reminderTemplate({}), { kind: 'due_today', dueDate: '2026-02-10', plan: p }),
    };
    await store.transact(async (tx) => {
      await tx.put(REPAYMENT_COLLECTIONS.plans, p);
      await tx.put(OUTBOX, doc);
    });
    return { store, doc, plan: p };
  }

  it('found due at night (e.g. a retry landing at 21:30), it waits for 08:00 and is sent then', async () => {
    const night = chinaTime('2026-02-10T21:30:00');
    const { store, doc } = await seeded(night);
    let now = night;
    const clock = { now: () => now };
    const { p, sent } = ports(true);
    expect((await deliverDue(store, clock, p, settings)).deferred).toBe(1);
    const waiting = store.raw(OUTBOX).get(doc._id) as OutboxDoc;
    expect(waiting).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: chinaTime('2026-02-11T08:00:00'),
    });
    now = chinaTime('2026-02-11T07:59:00');
    expect(await deliverDue(store, clock, p, settings)).toMatchObject({ deferred: 0, sent_subscribe: 0 });
    now = chinaTime('2026-02-11T08:00:30');
    expect((await deliverDue(store, clock, p, settings)).sent_subscribe).toBe(1);
    expect(sent).toEqual([{ templateId: 'repayment-reminder', data: doc.message.data }]);
  });

  it('without a grant it goes as the reminder SMS (template and due date only)', async () => {
    const { store } = await seeded(chinaTime('2026-02-10T08:00:30'));
    const { p, sms } = ports(false);
    const clock = { now: () => chinaTime('2026-02-10T08:00:30') };
    expect((await deliverDue(store, clock, p, settings)).sent_sms).toBe(1);
    expect(sms).toEqual([{ templateId: 'repayment-reminder-sms', params: ['2026年2月10日'] }]);
  });

  it('withdrawn, not sent, once the instalment it is about was paid', async () => {
    const { store, doc, plan: p } = await seeded(chinaTime('2026-02-10T08:00:30'));
    await store.updateWhere(REPAYMENT_COLLECTIONS.plans, { _id: p._id }, { nextDueKey: 20260310 });
    const { p: sendPorts, sent, sms } = ports(true);
    const clock = { now: () => chinaTime('2026-02-10T08:00:30') };
    expect((await deliverDue(store, clock, sendPorts, settings)).withdrawn).toBe(1);
    expect([sent, sms]).toEqual([[], []]);
    expect(store.raw(OUTBOX).get(doc._id)).toMatchObject({ state: 'withdrawn', channel: 'none' });
  });
});
