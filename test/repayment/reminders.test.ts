import type { OpenapiService } from '../../emulator/src/openapi/service';
import type { TimerService } from '../../emulator/src/timers/service';
import type { ComposedNoticeDoc } from '../../server/outbox/outbox-doc';
import { LOCK_SCREEN_UNSAFE } from '../../server/repayment/reminder-message';
import type { DailyTickReport } from '../../server/repayment/daily-tick';
import { interestForDays } from '../../server/repayment/quote';
import type { PayAnswer } from '../../typings/repayment';
import { testIdNumber } from '../helpers/id-numbers';
import { docs, userAction, verifyBorrower } from '../loan/emulator-harness';
import { chinaTime } from './fixtures';
import {
  callAs,
  disbursedLoan,
  loanOf,
  payAsBorrower,
  planOf,
  startRepaymentHarness,
  type RepaymentHarness,
} from './harness';

jest.setTimeout(180_000);

/**
 * Reminders end to end: the real `repaymentDaily` timer queues them, the real `notify` timer sends
 * them through the openapi fakes (subscribe grants counted, SMS fallback), all on the one clock.
 */
describe('repayment reminders through the daily and notify timers', () => {
  let h: RepaymentHarness;
  let timers: TimerService;
  let openapi: OpenapiService;
  let people = 0;

  beforeAll(async () => {
    h = await startRepaymentHarness();
    h.functionEnv.WXLEND_IDENTITY_VERIFIER = 'ocr_phone';
    timers = h.emu.hub.service<TimerService>('timers');
    openapi = h.emu.hub.service<OpenapiService>('openapi');
    // The timers were scheduled from real time at start: schedule them afresh from the story's start,
    // so every later jump of the clock fires the ticks it passes, as the platform would.
    await h.setClock(chinaTime('2026-01-10T09:00:00'));
    await timers.reset();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** A verified borrower (the SMS fallback needs their phone) with `grants` reminder authorisations. */
  async function borrower(grants: number): Promise<{ openid: string; phone: string }> {
    people += 1;
    const openid = `o-remind-${people}`;
    const phone = `1390000${String(people).padStart(4, '0')}`;
    await verifyBorrower(h.emu, openid, { name: '孙明', idNumber: testIdNumber(700 + people), phone });
    for (let i = 0; i < grants; i += 1)
      await userAction(h.emu, '/_user/subscribe', { openid, tmplIds: ['repayment-reminder'] });
    return { openid, phone };
  }

  /** Moves the one clock to a China wall-clock time and waits for every timer run it made due. */
  async function at(iso: string): Promise<void> {
    await h.setClock(chinaTime(iso));
    await timers.idle();
  }

  /** The morning of `day`: the 00:05 tick has run, then the notify timer past 08:00 has delivered. */
  async function morningOf(day: string): Promise<void> {
    await at(`${day}T08:01:00`);
    // A tick replayed by the jump may queue after that minute's delivery: one more minute delivers it.
    await h.advance(60_000);
    await timers.idle();
  }

  function remindersOf(openid: string): ComposedNoticeDoc[] {
    return docs<ComposedNoticeDoc>(h.emu, 'notificationOutbox')
      .filter((d) => d.openid === openid && d.topic?.startsWith('reminder:'))
      .sort((a, b) => a._id.localeCompare(b._id));
  }

  function messagesTo(openid: string) {
    return openapi
      .outbox({ kind: 'message' })
      .filter((m) => m.payload.touser === openid && m.payload.template_id === 'repayment-reminder');
  }

  function smsTo(phone: string) {
    return openapi
      .outbox({ kind: 'sms' })
      .filter(
        (m) => m.payload.phone_number === `+86${phone}` && m.payload.template_id === 'repayment-reminder-sms',
      );
  }

  /** Every sent reminder went out in the daytime and carries nothing the lock-screen rule forbids. */
  function expectDaytimeAndLockScreenSafe(openid: string, phone: string): void {
    const sent = [...messagesTo(openid), ...smsTo(phone)];
    for (const entry of sent) {
      const hour = new Date(entry.at + 8 * 3_600_000).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(21);
      expect(JSON.stringify(entry.payload.data ?? entry.payload.template_param_list)).not.toMatch(
        LOCK_SCREEN_UNSAFE,
      );
    }
  }

  async function fireDaily(): Promise<DailyTickReport> {
    const run = await timers.fire('repaymentDaily', 'overdueDaily');
    return run.result as DailyTickReport;
  }

  test('each kind on its day, never before 08:00, once a day even when ticks replay; one grant → one message, then SMS', async () => {
    await at('2026-01-10T10:00:00');
    const { openid, phone } = await borrower(1);
    const { loanId } = await disbursedLoan(h, { amount: 300_000, termMonths: 3 }, openid);
    expect((await planOf(h, loanId)).instalments[0]?.dueDate).toBe('2026-02-10');

    // Due in 3 days: queued by the 00:05 tick, held until 08:00.
    await at('2026-02-07T00:05:00');
    const queued = remindersOf(openid);
    expect(queued.map((d) => [d._id, d.topic, d.state])).toEqual([
      [`remind-2026-02-07-${openid}`, 'reminder:due_in_3_days', 'pending'],
    ]);
    expect(queued[0]?.nextAttemptAt).toBe(chinaTime('2026-02-07T08:00:00'));
    // A borrower cannot run the timer (the caller table refuses before any database access).
    expect(await callAs(h, openid, 'repaymentDaily', { Type: 'Timer' })).toMatchObject({
      ok: false,
      error: { code: 'REPAYMENT_TIMER_FORBIDDEN' },
    });
    // The same tick replayed (the platform may run a tick up to 3 times): nothing more is queued.
    expect((await fireDaily()).reminders).toMatchObject({ queued: 0 });
    expect(remindersOf(openid)).toHaveLength(1);
    await at('2026-02-07T07:59:00');
    expect(messagesTo(openid)).toHaveLength(0);
    await morningOf('2026-02-07');
    const [first] = messagesTo(openid);
    expect(first?.payload).toMatchObject({
      page: `packages/borrow/repay/index?id=${loanId}`,
      data: {
        thing1: { value: '您的账单将于3天后到期' },
        date2: { value: '2026年2月10日' },
        thing3: { value: '请打开小程序查看详情' },
      },
    });
    expect(first?.at).toBeGreaterThanOrEqual(chinaTime('2026-02-07T08:00:00'));
    // The one authorisation is spent.
    expect(openapi.remainingGrants(openid, 'repayment-reminder')).toBe(0);

    // Due today: no grant left → the transactional SMS (template + due date only).
    await morningOf('2026-02-10');
    expect(messagesTo(openid)).toHaveLength(1);
    expect(smsTo(phone).map((s) => s.payload)).toEqual([
      expect.objectContaining({
        sms_type: 'Notification',
        template_id: 'repayment-reminder-sms',
        template_param_list: ['2026年2月10日'],
      }),
    ]);

    // Overdue day 1, 3 and 7 (none on the days between), each once although the jumps replay ticks.
    for (const day of ['2026-02-11', '2026-02-12', '2026-02-13', '2026-02-15', '2026-02-17', '2026-02-18'])
      await morningOf(day);
    expect((await loanOf(h, loanId)).status).toBe('overdue');
    expect(remindersOf(openid).map((d) => [d._id.slice(7, 17), d.topic, d.state, d.channel])).toEqual([
      ['2026-02-07', 'reminder:due_in_3_days', 'sent', 'subscribe'],
      ['2026-02-10', 'reminder:due_today', 'sent', 'sms'],
      ['2026-02-11', 'reminder:overdue_day_1', 'sent', 'sms'],
      ['2026-02-13', 'reminder:overdue_day_3', 'sent', 'sms'],
      ['2026-02-17', 'reminder:overdue_day_7', 'sent', 'sms'],
    ]);
    expect(smsTo(phone)).toHaveLength(4);
    expectDaytimeAndLockScreenSafe(openid, phone);
  });

  test('two loans of one borrower due the same week: one reminder a day, the most urgent', async () => {
    await at('2026-02-18T10:00:00');
    const { openid, phone } = await borrower(0);
    // Two plans of one borrower (seeded directly: the product itself allows one loan at a time).
    await disbursedLoan(h, { amount: 100_000, termMonths: 3 }, openid);
    await at('2026-02-21T10:00:00');
    await disbursedLoan(h, { amount: 100_000, termMonths: 3 }, openid);
    // 03-18: the first loan is due today; the second is due in 3 days (03-21) — one SMS, "due today".
    await morningOf('2026-03-18');
    expect(remindersOf(openid).map((d) => d.topic)).toEqual(['reminder:due_today']);
    expect(smsTo(phone)).toHaveLength(1);
  });

  test('a reminder queued at night is withdrawn, not sent, when the borrower pays before 08:00', async () => {
    await at('2026-03-18T10:00:00');
    const { openid, phone } = await borrower(1);
    const { loanId } = await disbursedLoan(h, { amount: 100_000, termMonths: 3 }, openid);
    await at('2026-04-18T00:05:00');
    expect(remindersOf(openid).map((d) => [d.topic, d.state])).toEqual([['reminder:due_today', 'pending']]);
    await at('2026-04-18T07:00:00');
    const pay = await callAs<PayAnswer>(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind: 'due',
      requestId: `night-${loanId}`,
    });
    if (!pay.ok) throw new Error(pay.error.code);
    await payAsBorrower(h, openid, pay.data.payment.package);
    await morningOf('2026-04-18');
    expect(remindersOf(openid).map((d) => [d.topic, d.state])).toEqual([['reminder:due_today', 'withdrawn']]);
    expect([messagesTo(openid), smsTo(phone)]).toEqual([[], []]);
    expect(openapi.remainingGrants(openid, 'repayment-reminder')).toBe(1);
  });

  test('the story: missed instalment → overdue → penalty → reminders → paid → back to repaying, no more reminders', async () => {
    await at('2026-04-18T10:00:00');
    const { openid, phone } = await borrower(1);
    const { loanId } = await disbursedLoan(h, { amount: 300_000, termMonths: 3 }, openid);
    const first = (await planOf(h, loanId)).instalments[0]!;
    expect(first.dueDate).toBe('2026-05-18');

    await morningOf('2026-05-15'); // due in 3 days: the one grant
    await morningOf('2026-05-18'); // due today: SMS
    await morningOf('2026-05-19'); // missed: overdue, day 1
    expect((await loanOf(h, loanId)).status).toBe('overdue');
    expect((await planOf(h, loanId)).instalments[0]).toMatchObject({ status: 'overdue', penalty: 0 });
    await morningOf('2026-05-21'); // day 3
    await morningOf('2026-05-23'); // penalty after the 3 grace days: 05-22 and 05-23
    const daily = interestForDays(first.principal, 600, 1);
    expect((await planOf(h, loanId)).instalments[0]).toMatchObject({ status: 'overdue', penalty: 2 * daily });
    expect(remindersOf(openid).map((d) => [d.topic, d.channel])).toEqual([
      ['reminder:due_in_3_days', 'subscribe'],
      ['reminder:due_today', 'sms'],
      ['reminder:overdue_day_1', 'sms'],
      ['reminder:overdue_day_3', 'sms'],
    ]);

    // The borrower pays everything overdue (penalty included) in the afternoon.
    await at('2026-05-23T15:00:00');
    const pay = await callAs<PayAnswer>(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind: 'overdue',
      requestId: `story-${loanId}`,
    });
    if (!pay.ok) throw new Error(pay.error.code);
    expect(pay.data.amount).toBe(first.principal + first.interest + 2 * daily);
    await payAsBorrower(h, openid, pay.data.payment.package);
    expect((await loanOf(h, loanId)).status).toBe('repaying');
    expect((await planOf(h, loanId)).instalments[0]).toMatchObject({
      status: 'paid',
      paidPenalty: 2 * daily,
    });

    // Day 7 would have been 05-25: nothing; the penalty stays where it was; the next reminder is the
    // second instalment's, 3 days before 06-18.
    await morningOf('2026-05-25');
    expect((await planOf(h, loanId)).instalments[0]?.penalty).toBe(2 * daily);
    await morningOf('2026-06-15');
    expect(remindersOf(openid).map((d) => d.topic)).toEqual([
      'reminder:due_in_3_days',
      'reminder:due_today',
      'reminder:overdue_day_1',
      'reminder:overdue_day_3',
      'reminder:due_in_3_days',
    ]);
    expect(remindersOf(openid)[4]?.message.data.date2?.value).toBe('2026年6月18日');
    expect((await loanOf(h, loanId)).timeline.map((t) => t.status)).toEqual([
      'awaiting_confirmation',
      'disbursed',
      'repaying',
      'overdue',
      'repaying',
    ]);
    expectDaytimeAndLockScreenSafe(openid, phone);
  });
});
