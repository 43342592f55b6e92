import type { DocFilter, DocStore, FindOptions, StoredDoc, TxDocs } from './doc-store';
import { DocumentExistsError, keepAuditHead, StoreConflictError } from './doc-store';
import { isCloudTransactionConflict } from '../runtime/transaction-conflict';

/** The parts of a wx-server-sdk document reference this store uses. */
interface SdkDocRef {
  get(): Promise<{ data: unknown }>;
  set(options: { data: Record<string, unknown> }): Promise<unknown>;
}

/** The parts of a wx-server-sdk query this store uses. */
interface SdkQuery {
  where(condition: Record<string, unknown>): SdkQuery;
  orderBy(field: string, order: string): SdkQuery;
  skip(n: number): SdkQuery;
  limit(n: number): SdkQuery;
  get(): Promise<{ data: unknown[] }>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats?: { updated?: number } }>;
}

/** A collection reference: a query that can also address one document, or add several. */
interface SdkCollection extends SdkQuery {
  doc(id: string): SdkDocRef;
  /** `add({ data: [...] })`: one `insertDocument` call for every document; throws on a refusal. */
  add(options: { data: Array<Record<string, unknown>> }): Promise<unknown>;
}

/** The SDK's query operators (`db.command`). */
interface SdkCommand {
  lte(v: number): unknown;
  gte(v: number): unknown;
  lt(v: number): unknown;
  gt(v: number | string): unknown;
  in(v: Array<string | number>): unknown;
  and(...conditions: unknown[]): unknown;
  or(conditions: unknown[]): unknown;
}

/** The wx-server-sdk database handle, structurally. */
export interface SdkDatabase {
  collection(name: string): unknown;
  command: unknown;
  runTransaction(
    run: (tx: { collection(name: string): unknown }) => Promise<unknown>,
    retry?: number,
  ): Promise<unknown>;
}

/** How many times a conflicting transaction is retried before giving up. */
const TRANSACTION_RETRIES = 12;

/** Reads a missing document as undefined whatever shape the SDK answers with. */
function docData(result: { data: unknown } | undefined): StoredDoc | undefined {
  const data = Array.isArray(result?.data) ? result?.data[0] : result?.data;
  return data && typeof data === 'object' ? (data as StoredDoc) : undefined;
}

/** True when the SDK threw because the document does not exist. */
function isNotFound(error: unknown): boolean {
  const message = String((error as { message?: unknown; errMsg?: unknown } | null)?.message ?? '');
  const errMsg = String((error as { errMsg?: unknown } | null)?.errMsg ?? '');
  return /not exist|does not exist|cannot find/i.test(message + errMsg);
}

/** True when an insert was refused because a document with that `_id` exists. */
function isDuplicate(error: unknown): boolean {
  const e = (error ?? {}) as { message?: unknown; errMsg?: unknown };
  return /duplicate/i.test(`${String(e.message ?? '')} ${String(e.errMsg ?? '')}`);
}

/** DocStore over the real wx-server-sdk database. */
export class SdkDocStore implements DocStore {
  constructor(private readonly db: SdkDatabase) {}

  private collection(name: string, scope: { collection(name: string): unknown } = this.db): SdkCollection {
    return scope.collection(name) as SdkCollection;
  }

  private condition(filter: DocFilter): Record<string, unknown> {
    const _ = this.db.command as SdkCommand;
    const out: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(filter)) {
      if (value === null || typeof value !== 'object') {
        out[field] = value;
        continue;
      }
      const parts: unknown[] = [];
      if (value.$lte !== undefined) parts.push(_.lte(value.$lte));
      if (value.$gte !== undefined) parts.push(_.gte(value.$gte));
      if (value.$lt !== undefined) parts.push(_.lt(value.$lt));
      if (value.$gt !== undefined) parts.push(_.gt(value.$gt));
      if (value.$in !== undefined) parts.push(_.in(value.$in));
      out[field] = parts.length === 1 ? parts[0] : _.and(...parts);
    }
    return out;
  }

  private async getIn(
    scope: { collection(name: string): unknown },
    c: string,
    id: string,
  ): Promise<StoredDoc | undefined> {
    try {
      return docData(await this.collection(c, scope).doc(id).get());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Runs `work` in `db.runTransaction`; a lost lock or a commit conflict that survives the SDK's
   * retries becomes StoreConflictError. Within the transaction every document is read at most once
   * (later and parallel reads, and reads of what the transaction wrote, are answered from memory) and written at
   * most once: writes are buffered and sent together after `work` resolved, the last version of each
   * document — replacements one call each, new documents one `add` per collection.
   */
  async transact<R>(work: (tx: TxDocs) => Promise<R>): Promise<R> {
    try {
      return (await this.db.runTransaction(async (scope) => {
        const key = (c: string, id: string): string => `${c}\u0000${id}`;
        const seen = new Map<string, StoredDoc | undefined>();
        // Reads in flight: parallel reads of one document share one round trip.
        const reading = new Map<string, Promise<void>>();
        const writes = new Map<string, { c: string; doc: StoredDoc; create: boolean }>();
        const copy = <T>(doc: T): T => (doc === undefined ? doc : (JSON.parse(JSON.stringify(doc)) as T));
        const tx: TxDocs = {
          get: async <T extends StoredDoc>(c: string, id: string) => {
            const k = key(c, id);
            const written = writes.get(k);
            if (written) return copy(written.doc) as T;
            if (!seen.has(k)) {
              const read = reading.get(k) ?? this.getIn(scope, c, id).then((doc) => void seen.set(k, doc));
              reading.set(k, read);
              await read;
            }
            const later = writes.get(k);
            return copy(later ? later.doc : seen.get(k)) as T | undefined;
          },
          put: async (c, doc) => {
            const k = key(c, doc._id);
            const before = writes.get(k);
            const seenDoc = before?.doc ?? seen.get(k);
            writes.set(k, { c, doc: keepAuditHead(seenDoc, copy(doc)), create: before?.create ?? false });
          },
          insert: async (c, doc) => {
            const k = key(c, doc._id);
            writes.set(k, {
              c,
              doc: keepAuditHead(writes.get(k)?.doc ?? seen.get(k), copy(doc)),
              create: true,
            });
          },
        };
        const result = await work(tx);
        await this.flush(scope, [...writes.values()]);
        return result;
      }, TRANSACTION_RETRIES)) as R;
    } catch (error) {
      if (isCloudTransactionConflict(error)) throw new StoreConflictError();
      throw error;
    }
  }

  /** Sends a transaction's buffered writes at once: one `set` per replaced document, one `add` per collection. */
  private async flush(
    scope: { collection(name: string): unknown },
    writes: Array<{ c: string; doc: StoredDoc; create: boolean }>,
  ): Promise<void> {
    const created = new Map<string, StoredDoc[]>();
    for (const w of writes.filter((x) => x.create)) created.set(w.c, [...(created.get(w.c) ?? []), w.doc]);
    await Promise.all([
      ...writes
        .filter((w) => !w.create)
        .map(({ c, doc: { _id, ...data } }) => this.collection(c, scope).doc(_id).set({ data })),
      ...[...created].map(async ([c, docs]) => {
        try {
          await this.collection(c, scope).add({ data: docs });
        } catch (error) {
          if (isDuplicate(error)) throw new DocumentExistsError(c, docs.map((d) => d._id).join(','));
          throw error;
        }
      }),
    ]);
  }

  /** Reads one document. */
  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | undefined> {
    return (await this.getIn(this.db, collection, id)) as T | undefined;
  }

  /** Queries with an explicit limit. */
  async find<T extends StoredDoc>(collection: string, filter: DocFilter, options: FindOptions): Promise<T[]> {
    let query = this.collection(collection).where(this.condition(filter));
    if (options.orderBy) query = query.orderBy(options.orderBy.field, options.orderBy.direction);
    if (options.skip) query = query.skip(options.skip);
    const result = await query.limit(options.limit).get();
    return result.data as T[];
  }

  /** `where(_.or([...filters]))`: documents matching any filter, with an explicit limit. */
  async findAny<T extends StoredDoc>(
    collection: string,
    filters: DocFilter[],
    options: FindOptions,
  ): Promise<T[]> {
    const _ = this.db.command as SdkCommand;
    let query = this.collection(collection).where(
      _.or(filters.map((f) => this.condition(f))) as Record<string, unknown>,
    );
    if (options.orderBy) query = query.orderBy(options.orderBy.field, options.orderBy.direction);
    if (options.skip) query = query.skip(options.skip);
    const result = await query.limit(options.limit).get();
    return result.data as T[];
  }

  /** `where(filter).update()`: the database applies the condition atomically. */
  async updateWhere(collection: string, filter: DocFilter, fields: Record<string, unknown>): Promise<number> {
    const result = await this.collection(collection).where(this.condition(filter)).update({ data: fields });
    return result.stats?.updated ?? 0;
  }
}
