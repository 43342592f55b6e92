import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EmulatorClock } from '../clock';
import type { EmulatorScheduler } from '../scheduler';
import type { BillStore } from './bill-store';
import type { SandboxBill } from './bill-model';
import { crashIfScripted } from './crash-fault';
import type { FaultPlan } from './fault-plan';
import { encryptResource, probeSignature, signingHeaders } from './sandbox-crypto';
import type { SandboxSigning } from './sandbox-signing';
import { beijingTime } from './time-format';

/** WeChat Pay's retry delays after a failed delivery (about 24 h in total). */
export const NOTIFICATION_RETRY_DELAYS_MS: readonly number[] = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000, 10_800_000,
  10_800_000, 10_800_000, 21_600_000, 21_600_000,
];

/** How long the receiver has to answer, real ms. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** One delivery attempt as recorded. */
export interface DeliveryAttempt {
  /** Emulator time the request was sent. */
  at: number;
  /** Emulator time the attempt was due (retries are spaced from due times, as on a real schedule). */
  dueAt: number;
  /** HTTP status, when an answer came. */
  status?: number;
  error?: string;
  /** `probe` (WECHATPAY/SIGNTEST/ signature) or `duplicate` copy; absent for regular attempts. */
  variant?: 'probe' | 'duplicate';
}

/** A MCHTRANSFER.BILL.FINISHED notification and its delivery record. */
export interface SandboxNotification {
  id: string;
  mchId: string;
  outBillNo: string;
  notifyUrl: string;
  /** The exact JSON body, identical on every retry. */
  body: string;
  state: string;
  status: 'pending' | 'held' | 'delivered' | 'gave_up' | 'dropped';
  attempts: DeliveryAttempt[];
  /** Regular attempts made so far (drives the retry schedule). */
  regularAttempts: number;
  nextAt?: number;
}

/** Builds, signs, sends and retries transfer notifications on the emulator clock. */
export class Notifier {
  private readonly held: string[] = [];

  constructor(
    private readonly deps: {
      db: Database.Database;
      clock: EmulatorClock;
      scheduler: EmulatorScheduler;
      bills: BillStore;
      faults: FaultPlan;
      signing: () => SandboxSigning;
    },
  ) {
    deps.db.exec(`CREATE TABLE IF NOT EXISTS wechatpay_notifications (
      id TEXT PRIMARY KEY, mch_id TEXT NOT NULL, out_bill_no TEXT NOT NULL, doc TEXT NOT NULL)`);
  }

  /** Creates the notification for a bill that just reached a final state and schedules its delivery. */
  enqueue(bill: SandboxBill): void {
    if (!bill.notifyUrl) return;
    const now = this.deps.clock.now();
    const id = randomUUID();
    const notification: SandboxNotification = {
      id,
      mchId: bill.mchId,
      outBillNo: bill.outBillNo,
      notifyUrl: bill.notifyUrl,
      body: this.envelope(bill, now, id),
      state: bill.state,
      status: 'pending',
      attempts: [],
      regularAttempts: 0,
    };
    const fault = this.deps.faults.takeNotification();
    this.note(notification, { event: 'queued', fault: fault?.kind });
    if (fault?.kind === 'drop') {
      notification.status = 'dropped';
      this.save(notification);
      return;
    }
    if (fault?.kind === 'reorder') {
      notification.status = 'held';
      this.save(notification);
      this.held.push(notification.id);
      this.schedule(notification, now + fault.delayMs, 'release held');
      return;
    }
    if (fault?.kind === 'probe_signature') {
      this.save(notification);
      this.deps.scheduler.at(now, `wechatpay probe ${notification.id}`, () =>
        this.sendCopy(notification.id, 'probe'),
      );
    }
    if (fault?.kind === 'duplicate') {
      this.deps.scheduler.at(now + 1_000, `wechatpay duplicate ${notification.id}`, () =>
        this.sendCopy(notification.id, 'duplicate'),
      );
    }
    this.schedule(notification, fault?.kind === 'delay' ? now + fault.delayMs : now, 'first attempt');
  }

  /** Every notification of a bill, oldest first. */
  forBill(mchId: string, outBillNo: string): SandboxNotification[] {
    const rows = this.deps.db
      .prepare('SELECT doc FROM wechatpay_notifications WHERE mch_id = ? AND out_bill_no = ? ORDER BY rowid')
      .all(mchId, outBillNo) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as SandboxNotification);
  }

  /** Re-schedules unfinished deliveries after a restart. */
  resume(): void {
    const rows = this.deps.db.prepare('SELECT doc FROM wechatpay_notifications').all() as Array<{
      doc: string;
    }>;
    for (const row of rows) {
      const notification = JSON.parse(row.doc) as SandboxNotification;
      if (notification.status !== 'pending' && notification.status !== 'held') continue;
      if (notification.status === 'held') this.held.push(notification.id);
      this.schedule(notification, notification.nextAt ?? this.deps.clock.now(), 'resumed');
    }
  }

  /** Drops every notification. */
  clear(): void {
    this.held.length = 0;
    this.deps.db.exec('DELETE FROM wechatpay_notifications');
  }

  private schedule(notification: SandboxNotification, at: number, why: string): void {
    notification.nextAt = at;
    this.save(notification);
    this.deps.scheduler.at(at, `wechatpay notify ${notification.id} (${why})`, () =>
      this.attempt(notification.id, at),
    );
  }

  /** One regular attempt; stale tasks (superseded by a newer schedule) do nothing. */
  private async attempt(id: string, plannedAt: number): Promise<void> {
    const notification = this.load(id);
    if (!notification || notification.nextAt !== plannedAt) return;
    if (notification.status !== 'pending' && notification.status !== 'held') return;
    notification.status = 'pending';
    const held = this.held.indexOf(id);
    if (held >= 0) this.held.splice(held, 1);
    const attempt = await this.post(notification, 'regular', plannedAt);
    crashIfScripted(this.deps.faults, 'notify');
    notification.attempts.push(attempt);
    notification.regularAttempts += 1;
    const delivered = attempt.status === 200 || attempt.status === 204;
    if (delivered) {
      notification.status = 'delivered';
      notification.nextAt = undefined;
    } else {
      const delay = NOTIFICATION_RETRY_DELAYS_MS[notification.regularAttempts - 1];
      if (delay === undefined) {
        notification.status = 'gave_up';
        notification.nextAt = undefined;
      } else {
        this.schedule(notification, plannedAt + delay, 'retry');
      }
    }
    this.save(notification);
    this.note(notification, { event: 'attempt', ...attempt, delivered });
    this.releaseHeld(id);
  }

  /** A reordered notification goes out right after the next one did. */
  private releaseHeld(justSent: string): void {
    for (const id of [...this.held]) {
      if (id === justSent) continue;
      const notification = this.load(id);
      if (notification?.status === 'held') this.schedule(notification, this.deps.clock.now(), 'released');
    }
  }

  private async sendCopy(id: string, variant: 'probe' | 'duplicate'): Promise<void> {
    const notification = this.load(id);
    if (!notification) return;
    const attempt = await this.post(notification, variant, this.deps.clock.now());
    const fresh = this.load(id) ?? notification;
    fresh.attempts.push(attempt);
    this.save(fresh);
    this.note(fresh, { event: 'attempt', ...attempt });
  }

  private async post(
    notification: SandboxNotification,
    variant: 'regular' | 'probe' | 'duplicate',
    dueAt: number,
  ): Promise<DeliveryAttempt> {
    const signing = this.deps.signing();
    const headers = signingHeaders({
      body: notification.body,
      timestampSeconds: Math.floor(this.deps.clock.now() / 1000),
      serial: signing.serial,
      privateKeyPem: signing.privateKeyPem,
    });
    if (variant === 'probe') headers['Wechatpay-Signature'] = probeSignature();
    const at = this.deps.clock.now();
    const base: DeliveryAttempt = variant === 'regular' ? { at, dueAt } : { at, dueAt, variant };
    try {
      const response = await fetch(notification.notifyUrl, {
        method: 'POST',
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
          'Request-ID': randomUUID(),
        },
        body: notification.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return { ...base, status: response.status };
    } catch (error) {
      return {
        ...base,
        error: (error as Error).name === 'TimeoutError' ? 'timeout after 5 s' : 'connection failed',
      };
    }
  }

  private envelope(bill: SandboxBill, now: number, id: string): string {
    const plain = JSON.stringify({
      mch_id: bill.mchId,
      out_bill_no: bill.outBillNo,
      transfer_bill_no: bill.transferBillNo,
      state: bill.state,
      transfer_amount: bill.transferAmount,
      openid: bill.openid,
      ...(bill.failReason ? { fail_reason: bill.failReason } : {}),
      create_time: beijingTime(bill.createdAt),
      update_time: beijingTime(bill.updatedAt),
    });
    const sealed = encryptResource(plain, this.deps.signing().apiV3Key, 'mch_payment');
    return JSON.stringify({
      id,
      create_time: beijingTime(now),
      resource_type: 'encrypt-resource',
      event_type: 'MCHTRANSFER.BILL.FINISHED',
      summary: '商家转账单据终态通知',
      resource: {
        original_type: 'mch_payment',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: sealed.ciphertext,
        associated_data: 'mch_payment',
        nonce: sealed.nonce,
      },
    });
  }

  private note(notification: SandboxNotification, detail: Record<string, unknown>): void {
    this.deps.bills.record(notification, {
      at: this.deps.clock.now(),
      kind: 'notification',
      detail: { notificationId: notification.id, ...detail },
    });
  }

  private load(id: string): SandboxNotification | undefined {
    const row = this.deps.db.prepare('SELECT doc FROM wechatpay_notifications WHERE id = ?').get(id) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SandboxNotification) : undefined;
  }

  private save(notification: SandboxNotification): void {
    this.deps.db
      .prepare(
        `INSERT INTO wechatpay_notifications (id, mch_id, out_bill_no, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
      )
      .run(notification.id, notification.mchId, notification.outBillNo, JSON.stringify(notification));
  }
}
