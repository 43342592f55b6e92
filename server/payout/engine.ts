import { AppError } from '../runtime/app-error';
import type { TxDocs } from '../storage/doc-store';
import { firstIntent, payeeNameCipher, type PayoutOrder } from './intent';
import type { BillObservation } from './observe';
import { currentBill, type PayoutDoc } from './payout-doc';
import type { PayoutActor, PayoutCommit, PayoutDeps } from './ports';
import { settle } from './settle';
import { writePayout } from './write';

const SYSTEM_CREATE: PayoutActor = { id: 'system:create', type: 'system' };
/** The reconciler as an audit actor. */
export const SYSTEM_RECONCILE: PayoutActor = { id: 'system:reconcile', type: 'system' };

/**
 * Starts the payout of an approved loan: stores the intent (bill number, amount, payee, attempt)
 * together with the limit reservation and the loan's move to `disbursing`, then calls WeChat.
 * Any number of concurrent calls end with one bill number; the later ones resend the same request.
 */
export async function startPayout(
  deps: PayoutDeps,
  order: PayoutOrder,
  actor: PayoutActor,
): Promise<PayoutDoc> {
  if (!order.loanId || !order.borrowerOpenid || !Number.isSafeInteger(order.amount) || order.amount <= 0) {
    throw new AppError('PAYOUT_ORDER_INVALID', '放款信息不完整，请联系运营处理');
  }
  const userName = await payeeNameCipher(deps, order);
  const doc = await recordIntent<never>(deps, order.loanId, async () =>
    firstIntent(deps, order, actor, userName),
  );
  if (doc.amount !== order.amount || doc.borrowerOpenid !== order.borrowerOpenid) {
    throw new AppError('PAYOUT_ORDER_MISMATCH', '放款信息与已登记的放款不一致，请联系运营处理');
  }
  return sendCreate(deps, order.loanId, doc);
}

/** Races lost on shared documents (limit counters) before the intent gives up. */
export const INTENT_RACES = 20;

/**
 * Stores the first intent `decide` makes inside the transaction, or finds the one someone else
 * stored (the insert itself checks that none exists: no read before it). A lost race on the limit
 * counters is retried after a short random pause (so concurrent approvals do not livelock). Answers
 * the payout as stored, or why `decide` wrote nothing.
 */
export async function recordIntent<Undecided extends { kind: 'undecided' }>(
  deps: PayoutDeps,
  loanId: string,
  decide: (tx: TxDocs) => Promise<PayoutCommit | Undecided>,
): Promise<PayoutDoc | Undecided> {
  for (let race = 0; race < INTENT_RACES; race++) {
    const result = await deps.store.commitDecided(decide);
    if (result.kind === 'refused') throw new AppError(result.code, result.message);
    if (result.kind === 'committed') return result.doc;
    if (result.kind === 'undecided') return result;
    const existing = await deps.store.get(loanId);
    if (existing) return existing;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 40)));
  }
  throw new AppError('PAYOUT_BUSY', '放款处理繁忙，请稍后再试');
}

/**
 * Sends (or resends) the current bill's create request — same number, same bytes — when WeChat
 * has not answered it yet, or when a lost answer left us without `package_info`. `borrowerWaits`:
 * the payee asked (progress, retry) and waits for the answer (settle's option).
 */
export async function sendCreate(
  deps: PayoutDeps,
  loanId: string,
  inHand?: PayoutDoc,
  borrowerWaits = false,
): Promise<PayoutDoc> {
  const doc = inHand ?? (await mustGet(deps, loanId));
  const bill = currentBill(doc);
  const needsPackage = bill.phase === 'WAIT_USER_CONFIRM' && !bill.packageInfo;
  if (doc.status !== 'in_progress' || (bill.phase !== 'INTENT' && !needsPackage)) return doc;

  deps.crashPoint('payout.before_create');
  const outcome = await deps.transfer.create(bill.request);
  deps.crashPoint('payout.after_send');
  let stored: PayoutDoc | undefined;
  if (outcome.kind === 'accepted') {
    const obs: BillObservation = { outBillNo: bill.outBillNo, state: outcome.state, source: 'create' };
    if (outcome.transferBillNo) obs.transferBillNo = outcome.transferBillNo;
    if (outcome.packageInfo) obs.packageInfo = outcome.packageInfo;
    if (outcome.failReason) obs.failReason = outcome.failReason;
    deps.crashPoint('payout.after_reply');
    stored = await settle(deps, obs, { countCall: true, inHand: doc, borrowerWaits });
  } else {
    deps.crashPoint('payout.after_reply');
    stored = await noteCreateProblem(deps, loanId, bill.outBillNo, outcome.kind, outcome.code);
  }
  deps.crashPoint('payout.after_write');
  return stored ?? doc;
}

/** Records an ambiguous or refused create answer (codes only); a refusal stops for an operator. */
async function noteCreateProblem(
  deps: PayoutDeps,
  loanId: string,
  outBillNo: string,
  kind: 'ambiguous' | 'refused',
  code: string,
): Promise<PayoutDoc | undefined> {
  return writePayout(
    deps,
    () => deps.store.get(loanId),
    (doc) => {
      const index = doc.bills.findIndex((b) => b.outBillNo === outBillNo);
      const bill = doc.bills[index];
      if (!bill || bill.phase !== 'INTENT') return undefined;
      const now = deps.clock.now();
      const bills = [...doc.bills];
      bills[index] = { ...bill, createCalls: bill.createCalls + 1, lastError: code, updatedAt: now };
      const refused = kind === 'refused' && doc.status === 'in_progress';
      return {
        expectedVersion: doc.version,
        next: {
          ...doc,
          bills,
          status: refused ? 'manual' : doc.status,
          reason: refused ? `转账请求被拒绝（${code}），等待人工处理` : doc.reason,
          version: doc.version + 1,
          updatedAt: now,
        },
        events: refused
          ? [{ type: 'payout.create_refused', actor: SYSTEM_CREATE, detail: { loanId, outBillNo, code } }]
          : [],
        vouchers: [],
      };
    },
  );
}

/** The payout of a loan, or PAYOUT_NOT_FOUND. */
export async function mustGet(deps: PayoutDeps, loanId: string): Promise<PayoutDoc> {
  const doc = await deps.store.get(loanId);
  if (!doc) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
  return doc;
}
