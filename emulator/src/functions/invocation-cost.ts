import type { AdminCall } from '../admin-router';
import { DbErrorCode } from '../database/errors';

/** What one invocation cost the backend, counted from the SDK calls (`POST /admin`) it made. */
export interface InvocationCost {
  /** `POST /admin` calls made with this invocation's token (database, cloud calls, callFunction …). */
  sdkCalls: number;
  /** Transactions it started (`database.startTransaction`). */
  transactions: number;
  /** Calls answered with a transaction conflict (`DATABASE_TRANSACTION_CONFLICT`). */
  conflicts: number;
  /** Real milliseconds the backend spent serving its database calls (injected latency excluded). */
  dbMs: number;
}

/** A cost of nothing yet. */
export function noCost(): InvocationCost {
  return { sdkCalls: 0, transactions: 0, conflicts: 0, dbMs: 0 };
}

/** Adds one answered SDK call to an invocation's cost. */
export function addCallCost(cost: InvocationCost, call: AdminCall): void {
  cost.sdkCalls += 1;
  if (call.action === 'database.startTransaction') cost.transactions += 1;
  if (call.errorCode === DbErrorCode.transactionConflict) cost.conflicts += 1;
  if (call.action.startsWith('database.')) cost.dbMs = Math.round((cost.dbMs + call.elapsedMs) * 1000) / 1000;
}
