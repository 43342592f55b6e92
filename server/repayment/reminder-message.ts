import type { ComposedMessage } from '../outbox/outbox-doc';
import { checkTemplateFields } from '../outbox/template-fields';
import type { ReminderTemplate } from '../outbox/template';
import { chineseDay } from './due-dates';
import { REPAYMENT_COLLECTIONS as C } from './plan-doc';
import type { DueReminder, ReminderKind } from './reminders';

/**
 * The lock-screen rule, the one place it is stated: a reminder's text (every subscribe-message
 * field and SMS parameter) can be read by anyone who sees the phone, so it may say that there is a
 * bill and when it is due — what the 账单提醒 template itself shows — and nothing else: no amount
 * or currency, and no word that reveals a debt or its state (loan, overdue, penalty, collection…).
 */
export const LOCK_SCREEN_UNSAFE =
  /[¥￥$]|\d\s*元|元\s*\d|逾期|欠款|欠费|欠债|债务|负债|借款|贷款|借钱|罚息|违约|催收|催款|本金|利息|金额|额度|征信|黑名单/;

/** Throws unless every text passes the lock-screen rule. */
export function assertLockScreenSafe(texts: readonly string[]): void {
  for (const text of texts) {
    if (LOCK_SCREEN_UNSAFE.test(text))
      throw new RangeError(`reminder text breaks the lock-screen rule: ${text}`);
  }
}

/** The reminder line of each kind (thing1, ≤ 20 characters). */
const REMINDER_LINES: Record<ReminderKind, string> = {
  due_in_3_days: '您的账单将于3天后到期',
  due_today: '您的账单今日到期',
  overdue_day_1: '您有一笔账单待处理',
  overdue_day_3: '您有一笔账单待处理',
  overdue_day_7: '您有一笔账单待处理',
};

/** The closing line of every reminder (thing3). */
const REMINDER_HINT = '请打开小程序查看详情';

/**
 * The message of one reminder: the 账单提醒 subscribe message (its fields checked against their
 * limits and the lock-screen rule), the SMS sent instead without a grant, daytime-only delivery,
 * and withdrawn if the instalment it is about is paid before it goes out.
 */
export function reminderMessage(template: ReminderTemplate, reminder: DueReminder): ComposedMessage {
  const dueDay = chineseDay(reminder.dueDate);
  const data = {
    thing1: { value: REMINDER_LINES[reminder.kind] },
    date2: { value: dueDay },
    thing3: { value: REMINDER_HINT },
  };
  const sms = { templateId: template.reminderSmsTemplateId, params: [dueDay] };
  checkTemplateFields(data);
  assertLockScreenSafe([...Object.values(data).map((f) => f.value), ...sms.params]);
  return {
    templateId: template.reminderTemplateId,
    page: `${template.reminderPage}?id=${reminder.plan._id}`,
    data,
    sms,
    daytimeOnly: true,
    onlyIf: {
      collection: C.plans,
      id: reminder.plan._id,
      field: 'nextDueKey',
      equals: reminder.plan.nextDueKey,
    },
  };
}
