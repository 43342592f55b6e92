import type { BillPhase, TransferState } from '../../typings/payout';
import { appendAudit } from '../audit/audit-log';
import type { StoredDoc } from '../storage/doc-store';
import { canMove, isFinal } from './bill-state';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { PayoutBill, PayoutDoc } from './payout-doc';
import type { PayoutDeps } from './ports';

/** What WeChat said about a bill when asked: a state, or that it does not know the bill. */
export type WechatAnswer = TransferState | 'NOT_FOUND';

/**
 * One bill where our record and WeChat's answer cannot both be true (`payoutDisagreements`,
 * `_id` = out_bill_no): reported to operators, audited, and never resolved by moving money.
 */
export interface PayoutDisagreement extends StoredDoc {
  loanId: string;
  outBillNo: string;
  /** Our bill phase when it was found. */
  ours: BillPhase;
  /** WeChat's answer when it was found. */
  theirs: WechatAnswer;
  status: 'open';
  firstSeenAt: number;
  updatedAt: number;
}

/**
 * True when `ours` and WeChat's `theirs` disagree: our final phase differs from what WeChat answers
 * (ours SUCCESS, WeChat not SUCCESS; ours FAIL, WeChat SUCCESS…), or WeChat answers a final state our
 * bill can never reach (ours TRANSFERING, WeChat CANCELLED). A WeChat answer behind a bill still
 * moving (a stale query) is not a disagreement: it is ignored as before.
 */
export function disagrees(ours: BillPhase, theirs: WechatAnswer): boolean {
  if (theirs === ours) return false;
  if (isFinal(ours)) return true;
  return theirs !== 'NOT_FOUND' && isFinal(theirs) && !canMove(ours, theirs);
}

/**
 * Records a disagreement once per bill and answer (a repeated finding writes nothing): the
 * disagreement document and the payout's audit record in one transaction. Moves no money and
 * changes no payout: operators decide (`payoutDisagreements` lists the open ones).
 */
export async function recordDisagreement(
  deps: PayoutDeps,
  doc: PayoutDoc,
  bill: PayoutBill,
  theirs: WechatAnswer,
): Promise<boolean> {
  const at = deps.clock.now();
  const written = await deps.store.docs.transact(async (tx) => {
    const known = await tx.get<PayoutDisagreement>(C.payoutDisagreements, bill.outBillNo);
    if (known && known.ours === bill.phase && known.theirs === theirs) return false;
    const next: PayoutDisagreement = {
      _id: bill.outBillNo,
      loanId: doc._id,
      outBillNo: bill.outBillNo,
      ours: bill.phase,
      theirs,
      status: 'open',
      firstSeenAt: known?.firstSeenAt ?? at,
      updatedAt: at,
    };
    await tx.put(C.payoutDisagreements, next);
    await appendAudit(tx, {
      at,
      actor: 'system:reconcile',
      actorType: 'system',
      event: 'payout.disagreement',
      subject: `payout:${doc._id}`,
      outcome: 'success',
      details: { loanId: doc._id, outBillNo: bill.outBillNo, ours: bill.phase, theirs },
    });
    return true;
  });
  // The operators' alert line: codes and bill numbers only, never personal data.
  if (written)
    console.warn(
      `[reconcile] PAYOUT_STATE_DISAGREEMENT ${bill.outBillNo}: ours ${bill.phase}, WeChat ${theirs}`,
    );
  return written;
}

/** Open disagreements, oldest first (the operators' list). */
export function openDisagreements(deps: PayoutDeps, limit = 200): Promise<PayoutDisagreement[]> {
  return deps.store.docs.find<PayoutDisagreement>(
    C.payoutDisagreements,
    { status: 'open' },
    { orderBy: { field: 'firstSeenAt', direction: 'asc' }, limit },
  );
}
