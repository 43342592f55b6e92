import { applyObservation, type BillObservation } from './observe';
import { currentBill, type PayoutBill, type PayoutDoc } from './payout-doc';
import type { PayoutDeps } from './ports';
import { writePayout } from './write';

/**
 * Applies what WeChat said about a bill, idempotently, under a conditional write. `countCall`
 * also counts a create request. Returns the stored payout, or undefined for an unknown bill.
 */
export async function settle(
  deps: PayoutDeps,
  obs: BillObservation,
  countCall = false,
): Promise<PayoutDoc | undefined> {
  return writePayout(
    deps,
    () => deps.store.findByBillNo(obs.outBillNo),
    (doc) => {
      const commit = applyObservation(doc, obs, deps.clock.now(), deps.settings);
      if (!countCall) return commit;
      const base = commit ?? {
        expectedVersion: doc.version,
        next: { ...doc, version: doc.version + 1, updatedAt: deps.clock.now() },
        events: [],
        vouchers: [],
      };
      base.next = {
        ...base.next,
        bills: base.next.bills.map((b) =>
          b.outBillNo === obs.outBillNo ? { ...b, createCalls: b.createCalls + 1, lastError: undefined } : b,
        ),
      };
      return base;
    },
  );
}

/** Asks WeChat where the bill stands: the observation to apply, or why there is none. */
export async function queryBill(
  deps: PayoutDeps,
  bill: PayoutBill,
): Promise<BillObservation | 'not_found' | 'ambiguous' | 'mismatch'> {
  const found = await deps.transfer.query(bill.outBillNo);
  if (found.kind !== 'found') return found.kind;
  if (found.amount !== bill.amount || found.openid !== bill.openid) return 'mismatch';
  const obs: BillObservation = { outBillNo: bill.outBillNo, state: found.state, source: 'query' };
  if (found.transferBillNo) obs.transferBillNo = found.transferBillNo;
  if (found.packageInfo) obs.packageInfo = found.packageInfo;
  if (found.failReason) obs.failReason = found.failReason;
  return obs;
}

/** Asks WeChat where the bill stands and applies it; "not found" changes nothing. */
export async function queryAndSettle(
  deps: PayoutDeps,
  doc: PayoutDoc,
  outBillNo: string,
): Promise<'settled' | 'not_found' | 'ambiguous' | 'mismatch'> {
  const bill = doc.bills.find((b) => b.outBillNo === outBillNo);
  if (!bill) return 'not_found';
  const obs = await queryBill(deps, bill);
  if (typeof obs === 'string') return obs;
  await settle(deps, obs);
  return 'settled';
}

/** A confirmation package younger than this is shown as stored (the borrower just got it). */
export const PROGRESS_FRESH_PACKAGE_MS = 5_000;
/** At most one progress-driven WeChat query per bill in this interval. */
export const PROGRESS_QUERY_EVERY_MS = 5_000;

/**
 * Brings our record up to date with WeChat before showing it (WeChat only notifies final states,
 * so WAIT_USER_CONFIRM is learnt by asking). A bill waiting for confirmation for more than a few
 * seconds is asked about too (rate-limited per bill), so a lost final notification never leaves a
 * stale confirm button. Never creates anything; failures leave it as it was.
 */
export async function refreshPayout(deps: PayoutDeps, loanId: string): Promise<PayoutDoc | undefined> {
  const doc = await deps.store.get(loanId);
  if (!doc || !doc.open) return doc;
  const bill = currentBill(doc);
  if (bill.phase === 'WAIT_USER_CONFIRM' && bill.packageInfo) {
    const now = deps.clock.now();
    if (now - (bill.acceptedAt ?? bill.createdAt) < PROGRESS_FRESH_PACKAGE_MS) return doc;
    if (!(await deps.store.claimProgressQuery(bill.outBillNo, now, PROGRESS_QUERY_EVERY_MS))) return doc;
  }
  const result = await queryAndSettle(deps, doc, bill.outBillNo).catch(() => 'ambiguous' as const);
  return result === 'settled' ? deps.store.get(loanId) : doc;
}
