import { isTransactionConflict, StoreConflictError, type DocStore } from './doc-store';

/** How often a transaction that lost a document lock is run again before giving up. */
const MAX_ATTEMPTS = 8;

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
    findAny: (collection, filters, options) => store.findAny(collection, filters, options),
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
