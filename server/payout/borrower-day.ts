import type { StoredDoc, TxDocs } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { BORROWERS } from '../loan/application-doc';
import { checkLimits, type LimitRefusal } from './limits';
import type { LimitReservation } from './ports';

/** A counter document a payout commit writes, with its collection. */
export interface CounterWrite {
  collection: string;
  doc: StoredDoc;
}

/** Refusal when the payee has no borrower document (nothing to gate or count against). */
const NO_BORROWER: LimitRefusal = { code: 'BORROWER_NOT_FOUND', message: '未找到借款人信息，请联系客服处理' };

type Borrower = BorrowerDoc & StoredDoc;

/**
 * The borrower's payout total of one China day lives on the borrower's own document (`payoutDay`),
 * the one the money gate reads in the same transaction: no counter document of its own. Only this
 * borrower's payouts write it, and writing it makes the gate's read of `frozen`/`blacklisted` part
 * of the commit's write set (a freeze committed meanwhile makes the payout's transaction conflict).
 */
function dayTotal(borrower: Borrower, day: string): { day: string; amount: number } {
  const stored = borrower.payoutDay;
  if (!stored || stored.day < day) return { day, amount: 0 };
  // A reservation dated before the stored day (built before midnight, committed after another) counts
  // into the stored day: the day in force is never under-counted.
  return stored;
}

/** The borrower with its day total moved by `amount`, one version on. */
function withDayTotal(borrower: Borrower, total: { day: string; amount: number }, at: number): CounterWrite {
  return {
    collection: BORROWERS,
    doc: { ...borrower, payoutDay: total, version: borrower.version + 1, updatedAt: at },
  };
}

/**
 * Checks the per-transfer and per-borrower rules of `r` against the borrower's day total inside
 * `tx` and answers the borrower document to write, or the refusal (nothing to write).
 */
export async function reserveBorrowerDay(
  tx: TxDocs,
  r: LimitReservation,
  at: number,
): Promise<CounterWrite | LimitRefusal> {
  const borrower = await tx.get<Borrower>(BORROWERS, r.openid);
  if (!borrower) return NO_BORROWER;
  const total = dayTotal(borrower, r.day);
  // The merchant's totals are checked by its shards (merchant-shards.ts).
  const refusal = checkLimits(
    r.amount,
    { merchantAmount: 0, merchantCalls: 0, borrowerAmount: total.amount },
    r.limits,
  );
  if (refusal) return refusal;
  return withDayTotal(borrower, { day: total.day, amount: total.amount + r.amount }, at);
}

/** Gives a confirmed-unpaid bill's amount back to the borrower's total of its day (when that day is still the one kept). */
export async function releaseBorrowerDay(
  tx: TxDocs,
  r: { day: string; openid: string; amount: number },
  at: number,
): Promise<CounterWrite[]> {
  const borrower = await tx.get<Borrower>(BORROWERS, r.openid);
  const stored = borrower?.payoutDay;
  if (!borrower || stored?.day !== r.day) return [];
  return [withDayTotal(borrower, { day: r.day, amount: Math.max(0, stored.amount - r.amount) }, at)];
}
