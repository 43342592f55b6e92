import type { LoanStatus } from '../../typings/loan';
import { formatYuan } from '../../shared/money';
import type { Fen } from '../../typings/money';
import { STATUS_LABELS } from '../loan/transitions';

/** The subscribe-message template the product uses (configuration). */
export interface NotifyTemplate {
  /** Template id from the mini-program console. */
  templateId: string;
  /** Page opened from the message. */
  page: string;
  /** `developer`, `trial` or `formal`. */
  miniprogramState: 'developer' | 'trial' | 'formal';
  /** Approved CloudBase SMS template (type Notification) of the content-free fallback; one param: the time. */
  smsTemplateId: string;
}

/** The templates of repayment reminders (configuration). */
export interface ReminderTemplate {
  /** Subscribe-message template 账单提醒: thing1 提醒内容, date2 到期日, thing3 温馨提示. */
  reminderTemplateId: string;
  /** Approved SMS template (type Notification) of a reminder without a grant; one param: the due date. */
  reminderSmsTemplateId: string;
  /** Page a reminder opens (the loan's repayment page). */
  reminderPage: string;
}

/** Defaults; override with `WXLEND_NOTIFY_TEMPLATE` (JSON). */
export function notifyTemplate(env: NodeJS.ProcessEnv = process.env): NotifyTemplate {
  const base: NotifyTemplate = {
    templateId: 'loan-status',
    page: 'pages/applications/index',
    miniprogramState: 'formal',
    smsTemplateId: 'loan-status-sms',
  };
  return { ...base, ...templateOverrides<NotifyTemplate>(env) };
}

/** Defaults; override with the same `WXLEND_NOTIFY_TEMPLATE` JSON (its `reminder…` keys). */
export function reminderTemplate(env: NodeJS.ProcessEnv = process.env): ReminderTemplate {
  const base: ReminderTemplate = {
    reminderTemplateId: 'repayment-reminder',
    reminderSmsTemplateId: 'repayment-reminder-sms',
    reminderPage: 'packages/borrow/repay/index',
  };
  const overrides = templateOverrides<ReminderTemplate>(env);
  return {
    reminderTemplateId: overrides.reminderTemplateId ?? base.reminderTemplateId,
    reminderSmsTemplateId: overrides.reminderSmsTemplateId ?? base.reminderSmsTemplateId,
    reminderPage: overrides.reminderPage ?? base.reminderPage,
  };
}

/** The template ids set in `WXLEND_NOTIFY_TEMPLATE` (JSON), if any. */
function templateOverrides<T>(env: NodeJS.ProcessEnv): Partial<T> {
  return env.WXLEND_NOTIFY_TEMPLATE ? (JSON.parse(env.WXLEND_NOTIFY_TEMPLATE) as Partial<T>) : {};
}

/** Cuts a `thing` value to 20 code points (WeChat rejects longer ones). */
export function fitThing(text: string): string {
  const chars = Array.from(text);
  return chars.length <= 20 ? text : `${chars.slice(0, 19).join('')}…`;
}

/** `2019年10月1日 15:01` in UTC+8. */
export function templateDate(epochMs: number): string {
  const d = new Date(epochMs + 8 * 3_600_000);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${hh}:${mm}`;
}

/** `¥500.00`: the amount field allows a symbol and at most 10 digits (the product's maximum fits). */
export function templateAmount(amount: number): string {
  return `¥${formatYuan(amount as Fen)}`;
}

/** The template data of one status notification, every field within its limit. */
export function statusMessageData(
  status: LoanStatus,
  amount: number,
  at: number,
): Record<string, { value: string }> {
  return {
    thing1: { value: fitThing(STATUS_LABELS[status]) },
    amount2: { value: templateAmount(amount) },
    date3: { value: templateDate(at) },
    thing4: { value: fitThing('请进入小程序查看详情') },
  };
}

/** A transactional SMS: an approved template (type Notification) and its parameters. */
export interface SmsNotice {
  templateId: string;
  params: string[];
}

/**
 * The SMS fallback: the approved template (e.g. "您的申请状态于{1}有更新，请打开小程序查看") with the
 * time of the change as its only parameter — no loan content, which an SMS may not carry.
 */
export function smsNotice(template: NotifyTemplate, at: number): SmsNotice {
  return { templateId: template.smsTemplateId, params: [templateDate(at)] };
}
