import type { Fen } from '../../typings/money';
import { billNumberFor, MAX_ATTEMPT } from './bill-number';
import { chinaDayKey } from '../../shared/china-date';
import type { PayoutBill, PayoutDoc, TransferRequestBody } from './payout-doc';
import type { PayoutActor, PayoutCommit, PayoutDeps } from './ports';

/** What the loan domain hands over at approval. */
export interface PayoutOrder {
  loanId: string;
  borrowerOpenid: string;
  /** Approved principal in fen. */
  amount: Fen;
}

/** Whether a transfer of `amount` must carry the payee's real name (`user_name`). */
export function needsPayeeName(deps: PayoutDeps, amount: Fen): boolean {
  return amount >= deps.settings.realNameThresholdFen;
}

/**
 * The payee's name encrypted for WeChat when a transfer of `order` needs it (revealed from the
 * identity domain outside any transaction), else undefined.
 */
export async function payeeNameCipher(deps: PayoutDeps, order: PayoutOrder): Promise<string | undefined> {
  if (!needsPayeeName(deps, order.amount)) return undefined;
  return deps.transfer.encryptUserName(await deps.names.realNameOf(order.borrowerOpenid));
}

/** The exact transfer request of an attempt; the encrypted name is made once and frozen. */
function transferRequest(
  deps: PayoutDeps,
  order: PayoutOrder,
  outBillNo: string,
  userName: string | undefined,
): TransferRequestBody {
  const { profile } = deps;
  const body: TransferRequestBody = {
    appid: profile.appId,
    out_bill_no: outBillNo,
    transfer_scene_id: profile.transferSceneId,
    openid: order.borrowerOpenid,
    transfer_amount: order.amount,
    transfer_remark: profile.transferRemark,
    notify_url: profile.notifyUrl,
    transfer_scene_report_infos: profile.transferSceneReportInfos.map((i) => ({ ...i })),
  };
  if (profile.userRecvPerception) body.user_recv_perception = profile.userRecvPerception;
  if (needsPayeeName(deps, order.amount)) {
    if (userName === undefined) throw new Error('a transfer of this amount needs the payee name');
    body.user_name = userName;
  }
  return body;
}

/** A fresh bill in phase INTENT: stored before WeChat is ever called. */
function newBill(
  deps: PayoutDeps,
  order: PayoutOrder,
  attempt: number,
  now: number,
  userName: string | undefined,
): PayoutBill {
  const outBillNo = billNumberFor(order.loanId, attempt);
  return {
    outBillNo,
    attempt,
    amount: order.amount,
    openid: order.borrowerOpenid,
    request: transferRequest(deps, order, outBillNo, userName),
    phase: 'INTENT',
    createCalls: 0,
    cancelRequested: false,
    reservedDay: chinaDayKey(now),
    createdAt: now,
    updatedAt: now,
    history: [],
  };
}

/**
 * The commit that records the first intent of a loan, with its limit reservation. `userName` is
 * `payeeNameCipher` of the order (required when `needsPayeeName`): the commit itself is pure.
 */
export function firstIntent(
  deps: PayoutDeps,
  order: PayoutOrder,
  actor: PayoutActor,
  userName?: string,
): PayoutCommit {
  const now = deps.clock.now();
  const bill = newBill(deps, order, 1, now, userName);
  const doc: PayoutDoc = {
    _id: order.loanId,
    borrowerOpenid: order.borrowerOpenid,
    amount: order.amount,
    status: 'in_progress',
    bills: [bill],
    billNos: [bill.outBillNo],
    open: true,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return {
    expectedVersion: null,
    next: doc,
    reserve: {
      day: bill.reservedDay,
      key: bill.outBillNo,
      openid: order.borrowerOpenid,
      amount: order.amount,
      limits: deps.limits,
    },
    loanStatus: { to: 'disbursing' },
    events: [
      {
        type: 'payout.intent',
        actor,
        detail: {
          loanId: order.loanId,
          outBillNo: bill.outBillNo,
          attempt: 1,
          realNameSent: bill.request.user_name !== undefined,
        },
      },
    ],
    vouchers: [],
  };
}

/**
 * The commit that opens attempt n+1. Only valid when the current bill is confirmed FAIL or
 * CANCELLED (the caller checks); the new number is derived, never random.
 */
export async function nextIntent(
  deps: PayoutDeps,
  doc: PayoutDoc,
  actor: PayoutActor,
): Promise<PayoutCommit> {
  const now = deps.clock.now();
  const attempt = doc.bills.length + 1;
  if (attempt > MAX_ATTEMPT) throw new RangeError('attempt numbers exhausted');
  const order = { loanId: doc._id, borrowerOpenid: doc.borrowerOpenid, amount: doc.amount };
  const bill = newBill(deps, order, attempt, now, await payeeNameCipher(deps, order));
  return {
    expectedVersion: doc.version,
    next: {
      ...doc,
      status: 'in_progress',
      reason: undefined,
      bills: [...doc.bills, bill],
      billNos: [...doc.billNos, bill.outBillNo],
      open: true,
      version: doc.version + 1,
      updatedAt: now,
    },
    reserve: {
      day: bill.reservedDay,
      key: bill.outBillNo,
      openid: doc.borrowerOpenid,
      amount: doc.amount,
      limits: deps.limits,
    },
    loanStatus: { to: 'disbursing' },
    events: [
      {
        type: 'payout.retry',
        actor,
        detail: {
          loanId: doc._id,
          outBillNo: bill.outBillNo,
          attempt,
          realNameSent: bill.request.user_name !== undefined,
        },
      },
    ],
    vouchers: [],
  };
}
