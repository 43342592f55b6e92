import { StoreConflictError, type DocStore } from '../audit/doc-store';

/** How often a transaction that lost a document lock is run again before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * True for a lost lock or commit conflict. wx-server-sdk rewrites a write that hits another
 * transaction's lock into errCode -501001 and keeps only the server's message, and its own
 * runTransaction retries only commit-time conflicts, so the message is all there is to go on.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof StoreConflictError) return true;
  const message = String((error as { message?: unknown; errMsg?: unknown } | null)?.message ?? '');
  return /DATABASE_TRANSACTION_CONFLICT|another transaction|transaction conflict/i.test(message);
}

/**
 * A DocStore whose transactions are run again (with a short random pause) when they lose a lock
 * to a concurrent transaction, e.g. several borrowers verifying at once, all appending to the one
 * audit head. Safe because transaction work is pure apart from its `tx`. After the last attempt
 * the conflict surfaces as StoreConflictError.
 */
export function retryingOnConflict(
  store: DocStore,
  pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): DocStore {
  return {
    get: (collection, id) => store.get(collection, id),
    find: (collection, filter, options) => store.find(collection, filter, options),
    updateWhere: (collection, filter, fields) => store.updateWhere(collection, filter, fields),
    async transact(work) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await store.transact(work);
        } catch (error) {
          if (!isTransactionConflict(error)) throw error;
          if (attempt >= MAX_ATTEMPTS) throw new StoreConflictError();
          await pause(5 + Math.floor(Math.random() * 20 * attempt));
        }
      }
    },
  };
}
