import type { DocFilter, DocStore } from '../storage/doc-store';
import type { Clock } from '../clock';
import { isDaytime, nextDaytime } from './daytime';
import { OUTBOX, type OutboxDoc } from './outbox-doc';
import { smsNotice, statusMessageData, type NotifyTemplate, type SmsNotice } from './template';

/** What delivery needs from WeChat and the identity domain (ports, so tests can watch them). */
export interface NotifyPorts {
  /** `subscribeMessage.send`; throws an error carrying `errCode` on refusal. */
  sendSubscribe(message: {
    touser: string;
    templateId: string;
    page: string;
    data: Record<string, { value: string }>;
    miniprogramState: string;
  }): Promise<void>;
  /** `cloudbase.sendSms` of type Notification (approved template + params) to one +86 number. */
  sendSms(phone: string, notice: SmsNotice): Promise<void>;
  /** The borrower's phone number (`+86…`) for the SMS fallback; null when unknown. */
  phoneOf(openid: string): Promise<string | null>;
}

/** Delivery settings. */
export interface DeliverySettings {
  template: NotifyTemplate;
  /** Delay before attempt n+1 (ms), by attempts so far; past the end the notification fails. */
  backoffMs: readonly number[];
  /** How long a claim holds before it counts as abandoned. */
  claimMs: number;
}

/** Defaults: 30 s, 2 min, 10 min, 1 h, 6 h. */
export const DEFAULT_DELIVERY: Omit<DeliverySettings, 'template'> = {
  backoffMs: [30_000, 120_000, 600_000, 3_600_000, 21_600_000],
  claimMs: 60_000,
};

/** What happened to one notification (`deferred`: night, waits for 08:00; `withdrawn`: no longer true). */
export type DeliveryOutcome =
  'sent_subscribe' | 'sent_sms' | 'retry_later' | 'failed' | 'skipped' | 'deferred' | 'withdrawn';

/** What is sent for one notification: its composed message, or the status notice built from it. */
function messageOf(
  doc: OutboxDoc,
  template: NotifyTemplate,
  at: number,
): { templateId: string; page: string; data: Record<string, { value: string }>; sms: SmsNotice } {
  if (doc.message) return doc.message;
  return {
    templateId: template.templateId,
    page: template.page,
    data: statusMessageData(doc.status, doc.amount, doc.createdAt),
    sms: smsNotice(template, at),
  };
}

/** True while what a composed message announces still holds (one read, only for such messages). */
async function stillHolds(store: DocStore, doc: OutboxDoc): Promise<boolean> {
  const condition = doc.message?.onlyIf;
  if (!condition) return true;
  const target = await store.get(condition.collection, condition.id);
  return target?.[condition.field] === condition.equals;
}

/** The WeChat errcode an SDK error carries, if any. */
function errCodeOf(error: unknown): number | undefined {
  const code = (error as { errCode?: unknown } | null)?.errCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Delivers one notification at most once: a conditional update claims it (pending → sending)
 * before anything is sent; only the claimer sends. A claim left behind by a crash is never
 * re-sent (the message may already have gone) but marked failed for operators.
 */
export async function deliverNotification(
  store: DocStore,
  clock: Clock,
  ports: NotifyPorts,
  settings: DeliverySettings,
  doc: OutboxDoc,
): Promise<DeliveryOutcome> {
  const now = clock.now();
  // Collection contact waits for the daytime: the notification stays pending until 08:00.
  if (doc.message?.daytimeOnly && !isDaytime(now)) {
    const moved = await store.updateWhere(
      OUTBOX,
      { _id: doc._id, state: 'pending', attempts: doc.attempts },
      { nextAttemptAt: nextDaytime(now) },
    );
    return moved === 1 ? 'deferred' : 'skipped';
  }
  const claimed = await store.updateWhere(
    OUTBOX,
    { _id: doc._id, state: 'pending', attempts: doc.attempts, nextAttemptAt: { $lte: now } },
    { state: 'sending', attempts: doc.attempts + 1, claimExpiresAt: now + settings.claimMs },
  );
  if (claimed !== 1) return 'skipped';
  const finish = (fields: Partial<OutboxDoc>): Promise<number> =>
    store.updateWhere(OUTBOX, { _id: doc._id, state: 'sending' }, fields);
  const message = messageOf(doc, settings.template, now);
  try {
    if (!(await stillHolds(store, doc))) {
      await finish({ state: 'withdrawn', channel: 'none' });
      return 'withdrawn';
    }
    await ports.sendSubscribe({
      touser: doc.openid,
      templateId: message.templateId,
      page: message.page,
      data: message.data,
      miniprogramState: settings.template.miniprogramState,
    });
    await finish({ state: 'sent', channel: 'subscribe', sentAt: clock.now() });
    return 'sent_subscribe';
  } catch (error) {
    const code = errCodeOf(error);
    if (code === 43101) return smsFallback(ports, settings, message.sms, doc, finish, clock);
    return scheduleRetry(settings, doc, finish, clock, code === undefined ? 'SEND_FAILED' : `WX_${code}`);
  }
}

/** No subscription left: a content-free SMS, or nothing when no phone is known. */
async function smsFallback(
  ports: NotifyPorts,
  settings: DeliverySettings,
  notice: SmsNotice,
  doc: OutboxDoc,
  finish: (f: Partial<OutboxDoc>) => Promise<number>,
  clock: Clock,
): Promise<DeliveryOutcome> {
  try {
    const phone = await ports.phoneOf(doc.openid);
    if (!phone) {
      await finish({ state: 'failed', channel: 'none', lastError: 'NO_GRANT_NO_PHONE' });
      return 'failed';
    }
    await ports.sendSms(phone, notice);
    await finish({ state: 'sent', channel: 'sms', sentAt: clock.now() });
    return 'sent_sms';
  } catch (error) {
    const code = errCodeOf(error);
    return scheduleRetry(settings, doc, finish, clock, code === undefined ? 'SMS_FAILED' : `SMS_${code}`);
  }
}

/** Puts the notification back with backoff, or fails it after the last attempt. */
async function scheduleRetry(
  settings: DeliverySettings,
  doc: OutboxDoc,
  finish: (f: Partial<OutboxDoc>) => Promise<number>,
  clock: Clock,
  lastError: string,
): Promise<DeliveryOutcome> {
  const delay = settings.backoffMs[doc.attempts];
  if (delay === undefined) {
    await finish({ state: 'failed', lastError });
    return 'failed';
  }
  await finish({ state: 'pending', nextAttemptAt: clock.now() + delay, lastError });
  return 'retry_later';
}

/** Delivers every due notification (of one application when given); timer and post-change entry. */
export async function deliverDue(
  store: DocStore,
  clock: Clock,
  ports: NotifyPorts,
  settings: DeliverySettings,
  applicationId?: string,
  limit = 50,
): Promise<Record<DeliveryOutcome, number>> {
  const now = clock.now();
  const counts: Record<DeliveryOutcome, number> = {
    sent_subscribe: 0,
    sent_sms: 0,
    retry_later: 0,
    failed: 0,
    skipped: 0,
    deferred: 0,
    withdrawn: 0,
  };
  // A claim past its expiry means the sender died mid-send: record it, never resend.
  await store.updateWhere(
    OUTBOX,
    { state: 'sending', claimExpiresAt: { $lte: now } },
    { state: 'failed', lastError: 'OUTCOME_UNKNOWN' },
  );
  const filter: DocFilter = { state: 'pending', nextAttemptAt: { $lte: now } };
  if (applicationId) filter.applicationId = applicationId;
  const due = await store.find<OutboxDoc>(OUTBOX, filter, {
    orderBy: { field: 'createdAt', direction: 'asc' },
    limit,
  });
  for (const doc of due) counts[await deliverNotification(store, clock, ports, settings, doc)] += 1;
  return counts;
}
