import { Query } from 'mingo';
import {
  DocumentExistsError,
  keepAuditHead,
  type DocFilter,
  type DocStore,
  type FindOptions,
  type StoredDoc,
  type TxDocs,
} from './doc-store';

/** The value at a dotted path (`pendingApproval.at`), undefined when any step is missing. */
function fieldAt(doc: StoredDoc, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.'))
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** Deep copy through JSON, as a database round trip would do. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * An in-memory DocStore for pure domain tests. Transactions run one at a time (a queue), which
 * models the outcome of CloudBase's conflict-and-retry, not its timing.
 */
export class MemoryDocStore implements DocStore {
  private readonly collections = new Map<string, Map<string, StoredDoc>>();
  private queue: Promise<unknown> = Promise.resolve();

  /** The raw documents of a collection (tests use it to tamper behind the product's back). */
  raw(collection: string): Map<string, StoredDoc> {
    let docs = this.collections.get(collection);
    if (!docs) {
      docs = new Map();
      this.collections.set(collection, docs);
    }
    return docs;
  }

  /** Runs `work` against buffered writes and applies them only when it resolves. */
  transact<R>(work: (tx: TxDocs) => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      const writes = new Map<string, StoredDoc>();
      const inserts = new Set<string>();
      const key = (c: string, id: string): string => `${c}\u0000${id}`;
      const tx: TxDocs = {
        get: async <T extends StoredDoc>(c: string, id: string) => {
          const pending = writes.get(key(c, id));
          if (pending) return copy(pending) as T;
          const found = this.raw(c).get(id);
          return found ? (copy(found) as T) : undefined;
        },
        put: async (c, doc) => {
          const seen = writes.get(key(c, doc._id)) ?? this.raw(c).get(doc._id);
          writes.set(key(c, doc._id), keepAuditHead(seen, copy(doc)));
        },
        insert: async (c, doc) => {
          inserts.add(key(c, doc._id));
          writes.set(key(c, doc._id), keepAuditHead(writes.get(key(c, doc._id)), copy(doc)));
        },
      };
      const result = await work(tx);
      for (const k of inserts) {
        const [c = '', id = ''] = k.split('\u0000');
        if (this.raw(c).has(id)) throw new DocumentExistsError(c, id);
      }
      for (const [k, doc] of writes) this.raw(k.split('\u0000')[0] ?? '').set(doc._id, doc);
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reads one document. */
  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | undefined> {
    const found = this.raw(collection).get(id);
    return found ? (copy(found) as T) : undefined;
  }

  /** Queries with mingo, ordered (a dotted field reads a nested one, as the database does) and paged. */
  async find<T extends StoredDoc>(collection: string, filter: DocFilter, options: FindOptions): Promise<T[]> {
    const query = new Query(filter as Record<string, unknown>);
    let docs = [...this.raw(collection).values()].filter((d) => query.test(d));
    const order = options.orderBy;
    if (order) {
      const sign = order.direction === 'asc' ? 1 : -1;
      docs = docs.sort((a, b) => {
        const x = fieldAt(a, order.field) as number | string;
        const y = fieldAt(b, order.field) as number | string;
        return x < y ? -sign : x > y ? sign : 0;
      });
    }
    const skip = options.skip ?? 0;
    return docs.slice(skip, skip + options.limit).map((d) => copy(d) as T);
  }

  /** Documents matching any filter, ordered and paged. */
  findAny<T extends StoredDoc>(collection: string, filters: DocFilter[], options: FindOptions): Promise<T[]> {
    return this.find<T>(collection, { $or: filters } as unknown as DocFilter, options);
  }

  /** Conditional update of matching documents. */
  async updateWhere(collection: string, filter: DocFilter, fields: Record<string, unknown>): Promise<number> {
    const query = new Query(filter as Record<string, unknown>);
    // Queued like a transaction, so it never lands between a transaction's reads and its writes.
    return this.transact(async () => {
      let changed = 0;
      for (const doc of this.raw(collection).values()) {
        if (!query.test(doc)) continue;
        Object.assign(doc, copy(fields));
        changed += 1;
      }
      return changed;
    });
  }
}
