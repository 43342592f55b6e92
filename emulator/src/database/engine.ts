import { randomBytes } from 'node:crypto';
import { ObjectId } from 'bson';
import type { Query } from 'mingo/query';
import { DbError, DbErrorCode, requestFailed } from './errors';
import { refuseDollarFields } from './field-names';
import { nearClause, runGeoNear, sortByDistance } from './geo-near';
import { refuseServerScripts, withOperatorErrors } from './guard';
import { compileAggregation, compileQuery } from './mingo/context';
import { applyModification, validateModification, type Modification } from './modify';
import { planQuery, type QueryPlan } from './planner';
import { idKey, type DocChange, type DocumentStore, type StoredDoc } from './store';
import { docKey, TransactionManager, type Transaction } from './transactions';
import type { Doc } from './values';

/** The most documents one read returns, as in CloudBase. */
export const MAX_LIMIT = 1000;

/** Options of a WHERE read. */
export interface FindOptions {
  /** Sort keys in priority order, 1 or -1. */
  order?: Doc;
  offset?: number;
  limit?: number;
  projection?: Doc;
}

/** What a read looked at: how it found candidates and how many documents it examined. */
export interface Explanation {
  plan: QueryPlan['kind'];
  /** The index used; for a union plan, every branch's (`_id` for a branch by primary key), comma-separated. */
  index?: string;
  examined: number;
  matched: number;
}

/** Which documents a modify or remove addresses. */
export interface Target {
  query: Doc;
  /** DOC queries address one document by `_id`; WHERE queries may address many. */
  byId: boolean;
  multi: boolean;
}

/** A document version a committed write replaced. */
interface Overwritten {
  key: string;
  before: StoredDoc | undefined;
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The database's semantics over the store: MongoDB queries, updates and aggregation evaluated by
 * mingo, candidates chosen through indexes, plus transactions (snapshot reads, document locks).
 */
export class DatabaseEngine {
  readonly txns = new TransactionManager();

  constructor(
    readonly store: DocumentStore,
    private readonly now: () => number,
  ) {}

  /** Throws DATABASE_COLLECTION_NOT_EXIST unless the collection was created. */
  requireCollection(name: string): void {
    if (!this.store.hasCollection(name))
      throw new DbError(DbErrorCode.collectionNotExist, `collection ${name} does not exist; create it first`);
  }

  /** Compiles a query for mingo, refusing server-side JavaScript and unknown operators. */
  compile(query: Doc): Query {
    refuseServerScripts(query);
    return withOperatorErrors('query', () => compileQuery(query));
  }

  /** Committed documents matching `query`, found through the best index, with what it cost. */
  match(collection: string, query: Doc): { docs: Doc[]; explanation: Explanation } {
    const compiled = this.compile(query);
    const plan = planQuery(query, this.store.indexes(collection));
    let docs: Doc[] = [];
    let examined = 0;
    const consider = (doc: Doc): boolean => {
      examined += 1;
      return withOperatorErrors('query', () => compiled.test(doc));
    };
    if (plan.kind === 'scan') {
      for (const doc of this.store.scan(collection)) if (consider(doc)) docs.push(doc);
    } else {
      // Candidates found by key come back in natural (insertion) order, like a scan.
      const parts = plan.kind === 'union' ? plan.parts : [plan];
      const ids = new Set(
        parts.flatMap((part) =>
          part.kind === 'ids'
            ? part.ids.map(idKey)
            : this.store.idsInRanges(collection, part.index, part.ranges),
        ),
      );
      const found: StoredDoc[] = [];
      for (const id of ids) {
        const stored = this.store.get(collection, id);
        if (stored && consider(stored.doc)) found.push(stored);
      }
      docs = found.sort((a, b) => (a.pos ?? 0) - (b.pos ?? 0)).map((f) => f.doc);
    }
    this.store.documentsExamined += examined;
    const explanation: Explanation = { plan: plan.kind, examined, matched: docs.length };
    if (plan.kind === 'index') explanation.index = plan.index;
    if (plan.kind === 'union')
      explanation.index = [...new Set(plan.parts.map((p) => (p.kind === 'index' ? p.index : '_id')))].join(
        ',',
      );
    return { docs, explanation };
  }

  /** A WHERE read: match, sort, skip, limit (capped at 1000), project. */
  find(collection: string, query: Doc, options: FindOptions = {}): Doc[] {
    this.requireCollection(collection);
    if (Object.keys(query).length === 0 && !options.order) return this.firstDocs(collection, options);
    const near = nearClause(query, this.store.indexes(collection));
    const { docs } = this.match(collection, query);
    return this.shape(near && !options.order ? sortByDistance(docs, near) : docs, options);
  }

  /** An unfiltered, unsorted page: reads only as far as the page reaches instead of the whole collection. */
  private firstDocs(collection: string, options: FindOptions): Doc[] {
    const wanted = (options.offset ?? 0) + Math.min(options.limit ?? 100, MAX_LIMIT);
    const docs: Doc[] = [];
    for (const doc of this.store.scan(collection)) {
      if (docs.length >= wanted) break;
      docs.push(doc);
    }
    this.store.documentsExamined += docs.length;
    return this.shape(docs, options);
  }

  /** Sorts, pages and projects matched documents with mingo. */
  shape(docs: Doc[], options: FindOptions): Doc[] {
    if (options.projection) refuseServerScripts(options.projection);
    const limit = Math.min(options.limit ?? 100, MAX_LIMIT);
    return withOperatorErrors('query options', () => {
      let cursor = compileQuery({}).find<Doc>(docs, options.projection);
      if (options.order && Object.keys(options.order).length > 0)
        cursor = cursor.sort(options.order as Record<string, 1 | -1>);
      return cursor
        .skip(options.offset ?? 0)
        .limit(limit)
        .all();
    });
  }

  /** How a read would run (tests and benchmarks prove index use with it). */
  explain(collection: string, query: Doc): Explanation {
    this.requireCollection(collection);
    return this.match(collection, query).explanation;
  }

  /** Number of documents matching `query`. */
  count(collection: string, query: Doc): number {
    this.requireCollection(collection);
    if (Object.keys(query).length === 0) return this.store.count(collection);
    return this.match(collection, query).docs.length;
  }

  /** Runs an aggregation pipeline; a leading `$match` picks its input through indexes. */
  aggregate(collection: string, pipeline: Doc[]): Doc[] {
    this.requireCollection(collection);
    refuseServerScripts(pipeline);
    const first = pipeline[0];
    const single = first && Object.keys(first).length === 1 ? first : undefined;
    const rest = single?.$geoNear !== undefined ? pipeline.slice(1) : pipeline;
    if (rest.some((stage) => stage.$geoNear !== undefined))
      throw requestFailed('$geoNear is only valid as the first stage of a pipeline');
    const leadingMatch = single?.$match;
    const input =
      single?.$geoNear !== undefined
        ? runGeoNear(single.$geoNear, this.store.indexes(collection), (q) => this.match(collection, q).docs)
        : leadingMatch && typeof leadingMatch === 'object' && !Array.isArray(leadingMatch)
          ? this.match(collection, leadingMatch as Doc).docs
          : [...this.store.scan(collection)];
    const collectionResolver = (name: string): Doc[] =>
      this.store.hasCollection(name) ? [...this.store.scan(name)] : [];
    return withOperatorErrors(
      'aggregate',
      () => compileAggregation(rest, { collectionResolver }).run(input) as Doc[],
    );
  }

  /** Inserts documents (all or none); answers their ids. Inside a transaction the writes are buffered. */
  async insert(collection: string, docs: Doc[], txnId?: string): Promise<string[]> {
    this.requireCollection(collection);
    const prepared = docs.map((doc) => {
      refuseDollarFields(doc);
      const id = doc._id === undefined ? newId() : doc._id;
      if (typeof id !== 'string' && typeof id !== 'number' && !(id instanceof ObjectId))
        throw new DbError(DbErrorCode.invalidParam, '_id must be a string, a number or an ObjectId');
      return { ...doc, _id: id };
    });
    const keys = prepared.map((d) => idKey(d._id));
    if (new Set(keys).size !== keys.length) throw requestFailed('the documents to insert repeat an _id');
    if (txnId) {
      const txn = this.txns.get(txnId, this.now());
      for (const doc of prepared) {
        const key = docKey(collection, idKey(doc._id));
        const current = this.store.get(collection, idKey(doc._id));
        this.txns.lockForWrite(txn, key, current, `document ${String(doc._id)}`);
        if (this.txns.snapshotRead(txn, key, current))
          throw requestFailed(`duplicate _id ${String(doc._id)}`);
        txn.writes.set(key, { collection, id: idKey(doc._id), after: doc });
      }
      return prepared.map((d) => String(d._id));
    }
    await this.waitForLocks(collection, keys);
    for (const [i, key] of keys.entries())
      if (this.store.get(collection, key)) throw requestFailed(`duplicate _id ${String(prepared[i]?._id)}`);
    this.commitChanges(
      collection,
      prepared.map((doc, i) => ({ id: keys[i] ?? '', after: doc })),
    );
    return prepared.map((d) => String(d._id));
  }

  /** Updates or replaces documents; answers how many changed and the id of an upserted one. */
  async modify(
    collection: string,
    target: Target,
    mod: Modification,
    upsert: boolean,
    txnId?: string,
  ): Promise<{ updated: number; upsertId?: unknown }> {
    this.requireCollection(collection);
    validateModification(mod);
    if (txnId) return this.modifyInTransaction(collection, target, mod, upsert, txnId);
    for (;;) {
      const matched = this.targetDocs(collection, target);
      const blocked = this.txns.lockedKeys(this.lockKeys(collection, target, matched));
      if (blocked.length > 0) {
        await this.txns.waitUnlocked(blocked);
        continue;
      }
      const changes: DocChange[] = [];
      for (const doc of matched) {
        const outcome = applyModification(doc, doc._id, mod);
        if (outcome.modified) changes.push({ id: idKey(doc._id), after: outcome.after });
      }
      if (matched.length === 0 && upsert) {
        const requested = target.query._id;
        const id = typeof requested === 'string' || typeof requested === 'number' ? requested : newId();
        const outcome = applyModification(undefined, id, mod);
        this.commitChanges(collection, [{ id: idKey(id), after: outcome.after }]);
        return { updated: 0, upsertId: id };
      }
      this.commitChanges(collection, changes);
      return { updated: changes.length };
    }
  }

  /** Removes documents; answers how many. */
  async remove(collection: string, target: Target, txnId?: string): Promise<number> {
    this.requireCollection(collection);
    if (txnId) {
      const { txn, key, id, before } = this.transactionTarget(collection, target, txnId);
      if (!before) return 0;
      txn.writes.set(key, { collection, id, after: null });
      return 1;
    }
    for (;;) {
      const matched = this.targetDocs(collection, target);
      const blocked = this.txns.lockedKeys(this.lockKeys(collection, target, matched));
      if (blocked.length > 0) {
        await this.txns.waitUnlocked(blocked);
        continue;
      }
      this.commitChanges(
        collection,
        matched.map((doc) => ({ id: idKey(doc._id), after: null })),
      );
      return matched.length;
    }
  }

  /** Starts a transaction on the current committed state. */
  startTransaction(): string {
    this.txns.expire(this.now());
    return this.txns.begin(this.store.currentSeq(), this.now()).id;
  }

  /** A document as a transaction sees it (snapshot plus its own writes). */
  readInTransaction(collection: string, id: unknown, txnId: string): Doc | undefined {
    this.requireCollection(collection);
    const txn = this.txns.get(txnId, this.now());
    const key = docKey(collection, idKey(id));
    return this.txns.snapshotRead(txn, key, this.store.get(collection, idKey(id)));
  }

  /** Commits: all buffered writes land under one sequence number, or none (conflict, unique clash). */
  commitTransaction(txnId: string): void {
    const txn = this.txns.get(txnId, this.now());
    try {
      const byCollection = new Map<string, DocChange[]>();
      for (const write of txn.writes.values()) {
        const list = byCollection.get(write.collection) ?? [];
        list.push({ id: write.id, after: write.after });
        byCollection.set(write.collection, list);
      }
      const seq = this.store.nextSeq();
      const overwritten = this.store.atomically(() =>
        [...byCollection].flatMap(([collection, changes]) => this.applyAt(collection, changes, seq)),
      );
      this.remember(overwritten, seq);
    } finally {
      this.txns.finish(txn);
    }
  }

  /** Aborts; aborting an unknown or already finished transaction is a no-op, as the SDK expects. */
  abortTransaction(txnId: string): void {
    if (!this.txns.isOpen(txnId)) return;
    this.txns.finish(this.txns.get(txnId, this.now()));
  }

  private async modifyInTransaction(
    collection: string,
    target: Target,
    mod: Modification,
    upsert: boolean,
    txnId: string,
  ): Promise<{ updated: number; upsertId?: unknown }> {
    const { txn, key, id, before, rawId } = this.transactionTarget(collection, target, txnId);
    if (!before && !upsert) return { updated: 0 };
    const outcome = applyModification(before, before ? before._id : rawId, mod);
    if (!outcome.modified) return { updated: 0 };
    txn.writes.set(key, { collection, id, after: outcome.after });
    return before ? { updated: 1 } : { updated: 0, upsertId: rawId };
  }

  /** Resolves and locks a transaction's single-document target (refused if committed since its snapshot). */
  private transactionTarget(
    collection: string,
    target: Target,
    txnId: string,
  ): { txn: Transaction; key: string; id: string; rawId: unknown; before: Doc | undefined } {
    if (!target.byId || target.query._id === undefined)
      throw requestFailed('only single-document operations by doc(id) are supported inside a transaction');
    const txn = this.txns.get(txnId, this.now());
    const rawId = target.query._id;
    const id = idKey(rawId);
    const key = docKey(collection, id);
    const current: StoredDoc | undefined = this.store.get(collection, id);
    this.txns.lockForWrite(txn, key, current, `document ${String(rawId)}`);
    return { txn, key, id, rawId, before: this.txns.snapshotRead(txn, key, current) };
  }

  private targetDocs(collection: string, target: Target): Doc[] {
    const { docs } = this.match(collection, target.query);
    if (target.multi) return docs;
    return docs.slice(0, 1);
  }

  /** Keys a plain write must find unlocked: the matched documents, and the upsert target by id. */
  private lockKeys(collection: string, target: Target, matched: Doc[]): string[] {
    const keys = matched.map((doc) => docKey(collection, idKey(doc._id)));
    if (target.query._id !== undefined && typeof target.query._id !== 'object')
      keys.push(docKey(collection, idKey(target.query._id)));
    return keys;
  }

  private async waitForLocks(collection: string, ids: string[]): Promise<void> {
    for (;;) {
      const blocked = this.txns.lockedKeys(ids.map((id) => docKey(collection, id)));
      if (blocked.length === 0) return;
      await this.txns.waitUnlocked(blocked);
    }
  }

  /** A plain (non-transaction) write: one sequence number, history kept for open snapshots. */
  private commitChanges(collection: string, changes: DocChange[]): void {
    if (changes.length === 0) return;
    const seq = this.store.nextSeq();
    this.remember(
      this.store.atomically(() => this.applyAt(collection, changes, seq)),
      seq,
    );
  }

  /** Applies changes and answers the versions they replaced (recorded only once the write succeeded). */
  private applyAt(collection: string, changes: DocChange[], seq: number): Overwritten[] {
    const overwritten = changes.map((change) => ({
      key: docKey(collection, change.id),
      before: this.store.get(collection, change.id),
    }));
    this.store.apply(collection, changes, seq);
    return overwritten;
  }

  private remember(overwritten: Overwritten[], seq: number): void {
    for (const { key, before } of overwritten) this.txns.recordOverwrite(key, before, seq);
  }
}
