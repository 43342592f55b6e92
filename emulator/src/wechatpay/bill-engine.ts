import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../clock';
import type { EmulatorScheduler } from '../scheduler';
import { SandboxApiError } from './api-error';
import {
  ALLOWED_TRANSITIONS,
  CANCELLABLE_STATES,
  FINAL_STATES,
  type BillState,
  type SandboxBill,
} from './bill-model';
import type { BillStore } from './bill-store';
import { crashIfScripted } from './crash-fault';
import type { AcceptedCreate } from './create-request';
import type { FaultPlan } from './fault-plan';
import type { Notifier } from './notifier';
import { beijingDate } from './time-format';

/** Emulator-time delays of the automatic steps, kept small but realistic. */
export const LIFECYCLE_DELAYS_MS = {
  acceptedToProcessing: 1_000,
  processingToWaitUserConfirm: 1_000,
  transferingToSettled: 2_000,
  cancelingToCancelled: 1_000,
  /** Unconfirmed bills close after 24 h (they end FAIL). */
  unconfirmedExpiry: 24 * 3_600_000,
} as const;

/** How far back queries by out_bill_no reach. */
const QUERY_WINDOW_MS = 30 * 86_400_000;

/** Reason a bill gets when it expires unconfirmed (WeChat: 超过系统重试期，系统自动关闭). */
export const EXPIRED_FAIL_REASON = 'OVERDUE_CLOSE';

/** What the user's client answers, mirroring `wx.requestMerchantTransfer`. */
export interface UserActionResult {
  status: number;
  body: { errMsg: string; code?: string };
}

/** The transfer bill state machine: create, query, cancel, user confirm/close, timed steps. */
export class BillEngine {
  private sequence = 0;

  constructor(
    private readonly deps: {
      clock: EmulatorClock;
      scheduler: EmulatorScheduler;
      bills: BillStore;
      faults: FaultPlan;
      notifier: Notifier;
      mchId: () => string;
    },
  ) {}

  /** Creates a bill, or answers the existing one for an honest retry; rejects a reused number. */
  create(request: AcceptedCreate): SandboxBill {
    const { body, fingerprint } = request;
    const mchId = this.deps.mchId();
    const existing = this.deps.bills.get(mchId, body.out_bill_no);
    if (existing) {
      if (existing.fingerprint !== fingerprint)
        throw new SandboxApiError(
          400,
          'INVALID_REQUEST',
          'out_bill_no was already used with different parameters',
        );
      this.record(existing, 'api', { call: 'create', replay: true });
      return existing;
    }
    const now = this.deps.clock.now();
    const hideMs = this.deps.faults.takeInvisibleMs();
    const settleFail = this.deps.faults.takeSettleFail();
    const state: BillState = this.deps.faults.takeConfirmableAtCreate() ? 'WAIT_USER_CONFIRM' : 'ACCEPTED';
    const bill: SandboxBill = {
      mchId,
      outBillNo: body.out_bill_no,
      transferBillNo: this.transferBillNo(mchId, now),
      appId: body.appid,
      openid: body.openid,
      transferSceneId: body.transfer_scene_id,
      transferAmount: body.transfer_amount,
      transferRemark: body.transfer_remark,
      reportInfos: body.transfer_scene_report_infos ?? [],
      fingerprint,
      state,
      packageInfo: `ABBQO+oYAAABAAAAAAB${randomBytes(36).toString('base64')}`,
      packageConsumed: false,
      createdAt: now,
      updatedAt: now,
      settleAs: settleFail ? { state: 'FAIL', failReason: settleFail } : { state: 'SUCCESS' },
      ...(body.user_name !== undefined ? { userNameCipher: body.user_name } : {}),
      ...(body.notify_url !== undefined ? { notifyUrl: body.notify_url } : {}),
      ...(body.user_recv_perception !== undefined ? { userRecvPerception: body.user_recv_perception } : {}),
      ...(hideMs !== undefined ? { hiddenUntil: now + hideMs } : {}),
    };
    this.deps.bills.atomically(() => {
      this.deps.bills.save(bill);
      this.record(bill, 'state', { to: state });
    });
    this.scheduleSteps(bill);
    this.scheduleExpiry(bill);
    return bill;
  }

  /** A bill visible to queries: not hidden by a fault, created within the last 30 days. */
  find(outBillNo: string): SandboxBill | undefined {
    const bill = this.deps.bills.get(this.deps.mchId(), outBillNo);
    const now = this.deps.clock.now();
    if (!bill || (bill.hiddenUntil !== undefined && now < bill.hiddenUntil)) return undefined;
    if (now - bill.createdAt > QUERY_WINDOW_MS) return undefined;
    return bill;
  }

  /** Cancels a bill the user has not confirmed: CANCELING now, CANCELLED shortly after. */
  cancel(outBillNo: string): SandboxBill {
    const bill = this.deps.bills.get(this.deps.mchId(), outBillNo);
    if (!bill) throw new SandboxApiError(404, 'NOT_FOUND', 'no transfer bill with this out_bill_no');
    this.record(bill, 'api', { call: 'cancel' });
    if (bill.state === 'CANCELING' || bill.state === 'CANCELLED') return bill;
    if (!CANCELLABLE_STATES.has(bill.state))
      throw new SandboxApiError(
        400,
        'INVALID_REQUEST',
        `a bill in state ${bill.state} can no longer be cancelled`,
      );
    return this.transition(bill, 'CANCELING');
  }

  /** The borrower's client confirming (`confirm`) or closing (`close`) the receipt page. */
  userAction(input: {
    mchId: string;
    appId: string;
    package: string;
    openId: string;
    action: 'confirm' | 'close';
  }): UserActionResult {
    const fail = (status: number, code: string, reason: string): UserActionResult => ({
      status,
      body: { errMsg: `requestMerchantTransfer:fail ${reason}`, code },
    });
    const bill = this.deps.bills.byPackage(input.package);
    if (!bill || bill.mchId !== input.mchId || bill.appId !== input.appId)
      return fail(400, 'PACKAGE_INVALID', 'package is invalid for this mchId and appId');
    if (bill.openid !== input.openId) {
      this.record(bill, 'user', { action: input.action, refused: 'OPENID_MISMATCH' });
      return fail(403, 'OPENID_MISMATCH', 'the transfer belongs to another user');
    }
    if (bill.packageConsumed) {
      this.record(bill, 'user', { action: input.action, refused: 'PACKAGE_USED' });
      return fail(409, 'PACKAGE_USED', 'this package has already been used');
    }
    if (bill.state === 'ACCEPTED' || bill.state === 'PROCESSING')
      return fail(409, 'BILL_NOT_READY', 'the transfer is still being prepared, try again shortly');
    if (bill.state !== 'WAIT_USER_CONFIRM') {
      this.record(bill, 'user', { action: input.action, refused: 'BILL_CLOSED' });
      return fail(409, 'BILL_CLOSED', `the transfer can no longer be received (${bill.state})`);
    }
    if (input.action === 'confirm') crashIfScripted(this.deps.faults, 'confirm');
    this.record(bill, 'user', { action: input.action });
    if (input.action === 'close')
      return { status: 200, body: { errMsg: 'requestMerchantTransfer:fail cancel' } };
    bill.packageConsumed = true;
    this.transition(bill, 'TRANSFERING');
    return { status: 200, body: { errMsg: 'requestMerchantTransfer:ok' } };
  }

  /** Re-schedules the timed steps of unfinished bills after a restart. */
  resume(): void {
    for (const bill of this.deps.bills.all()) {
      if (FINAL_STATES.has(bill.state)) continue;
      this.scheduleSteps(bill);
      if (CANCELLABLE_STATES.has(bill.state)) this.scheduleExpiry(bill);
    }
  }

  /**
   * The one place a state changes; `at` is the step's due time so chained steps keep their spacing.
   * The state, its history line and (for a final state) its notification are one SQLite transaction,
   * committed before anything acts on it (answers, timed steps, deliveries): WeChat's state is
   * durable before it is told, and a final state is never durable without its notification.
   */
  private transition(
    bill: SandboxBill,
    to: BillState,
    failReason?: string,
    at = this.deps.clock.now(),
  ): SandboxBill {
    if (!ALLOWED_TRANSITIONS[bill.state].includes(to))
      throw new Error(`illegal transfer bill transition ${bill.state} → ${to}`);
    const from = bill.state;
    const next: SandboxBill = { ...bill, state: to, updatedAt: at, ...(failReason ? { failReason } : {}) };
    this.deps.bills.atomically(() => {
      this.deps.bills.save(next);
      this.deps.bills.record(next, {
        at,
        kind: 'state',
        detail: { from, to, ...(failReason ? { failReason } : {}) },
      });
      if (FINAL_STATES.has(to)) this.deps.notifier.enqueue(next);
    });
    Object.assign(bill, next);
    if (to === 'TRANSFERING') crashIfScripted(this.deps.faults, 'transfering');
    if (to === 'SUCCESS') crashIfScripted(this.deps.faults, 'success');
    this.scheduleSteps(bill);
    return bill;
  }

  /** Schedules what happens next on its own in the current state (and the 24 h expiry). */
  private scheduleSteps(bill: SandboxBill): void {
    const step = (delay: number, from: BillState, to: BillState, reason?: string): void => {
      const due = bill.updatedAt + delay;
      this.deps.scheduler.at(due, `wechatpay ${bill.outBillNo} ${from}→${to}`, () =>
        this.advance(bill.outBillNo, from, to, reason, due),
      );
    };
    const d = LIFECYCLE_DELAYS_MS;
    if (bill.state === 'ACCEPTED') step(d.acceptedToProcessing, 'ACCEPTED', 'PROCESSING');
    if (bill.state === 'PROCESSING') step(d.processingToWaitUserConfirm, 'PROCESSING', 'WAIT_USER_CONFIRM');
    if (bill.state === 'TRANSFERING')
      step(d.transferingToSettled, 'TRANSFERING', bill.settleAs.state, bill.settleAs.failReason);
    if (bill.state === 'CANCELING') step(d.cancelingToCancelled, 'CANCELING', 'CANCELLED');
  }

  /** Closes the bill 24 h after creation unless the user confirmed or the merchant cancelled. */
  private scheduleExpiry(bill: SandboxBill): void {
    const due = bill.createdAt + LIFECYCLE_DELAYS_MS.unconfirmedExpiry;
    this.deps.scheduler.at(due, `wechatpay ${bill.outBillNo} expiry`, () => this.expire(bill.outBillNo, due));
  }

  /** A timed step; does nothing when the bill moved on meanwhile. */
  private advance(
    outBillNo: string,
    from: BillState,
    to: BillState,
    reason: string | undefined,
    due: number,
  ): void {
    const bill = this.deps.bills.get(this.deps.mchId(), outBillNo);
    if (bill?.state !== from) return;
    this.transition(bill, to, reason, due);
  }

  private expire(outBillNo: string, due: number): void {
    const bill = this.deps.bills.get(this.deps.mchId(), outBillNo);
    if (!bill || !CANCELLABLE_STATES.has(bill.state)) return;
    this.transition(bill, 'FAIL', EXPIRED_FAIL_REASON, due);
  }

  private record(bill: SandboxBill, kind: 'state' | 'api' | 'user', detail: Record<string, unknown>): void {
    this.deps.bills.record(bill, { at: this.deps.clock.now(), kind, detail });
  }

  private transferBillNo(mchId: string, now: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const tail =
      `${String(this.sequence).padStart(6, '0')}${randomBytes(3).readUIntBE(0, 3) % 1_000_000}`.padEnd(
        12,
        '0',
      );
    return `1330${mchId}${beijingDate(now)}${tail}`;
  }
}
