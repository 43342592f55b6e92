import type { DocStore } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS } from './collections';
import type { ReconcileFinding } from './reconcile';

/** One document of the operators' payout report (`payoutReports`). */
export interface PayoutReportBody {
  examined: number;
  settled: number;
  findings: ReconcileFinding[];
}

/** Stores one operators' report under `id` (a deterministic id makes a repeated store harmless). */
export async function storePayoutReport(
  docs: DocStore,
  id: string,
  at: number,
  body: PayoutReportBody,
): Promise<void> {
  await docs.transact((tx) => tx.put(PAYOUT_COLLECTIONS.payoutReports, { _id: id, at, ...body }));
}
