import { randomBytes } from 'node:crypto';
import type { EmulatorContext, EmulatorService, ServiceFactory } from '../service';
import { databaseActions } from './actions';
import { readCollectionsFile, type CollectionDeclaration } from './collections-file';
import { DatabaseEngine, type Explanation } from './engine';
import { requestFailed } from './errors';
import { DocumentStore, idKey, type IndexSpec } from './store';
import type { Doc } from './values';

export type { Explanation } from './engine';
export type { IndexKey, IndexSpec } from './store';

/** How often abandoned transactions are looked for in real time (the clock's jumps also trigger it). */
const EXPIRY_SWEEP_MS = 1_000;

/** The local CloudBase database: SDK wire actions over SQLite, mingo semantics, indexes, transactions. */
export class DatabaseService implements EmulatorService {
  readonly name = 'database';
  readonly engine: DatabaseEngine;
  /** Read (and validated) at construction, so a bad file stops the hub before it listens. */
  private readonly declared: CollectionDeclaration[];
  private sweeper: NodeJS.Timeout | undefined;
  private unsubscribeClock: (() => void) | undefined;

  constructor(private readonly ctx: EmulatorContext) {
    this.declared = readCollectionsFile(ctx.config.collectionsFile);
    this.engine = new DatabaseEngine(new DocumentStore(ctx.sqlite), () => ctx.clock.now());
    for (const [action, handler] of Object.entries(databaseActions(this.engine, () => ctx.clock.now())))
      ctx.admin.register(action, handler);
  }

  /** Creates the collections and indexes declared in collections.json, then watches for abandoned transactions. */
  async start(): Promise<void> {
    this.createDeclared();
    this.sweeper = setInterval(() => this.engine.txns.expire(this.ctx.clock.now()), EXPIRY_SWEEP_MS);
    this.sweeper.unref();
    this.unsubscribeClock = this.ctx.clock.onChange((now) => this.engine.txns.expire(now));
  }

  /** Aborts open transactions and stops the sweeper; the data stays in SQLite. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.unsubscribeClock?.();
    this.engine.txns.clear();
  }

  /** Collections, documents and transactions, for `/health`. */
  info(): Record<string, unknown> {
    const names = this.engine.store.collectionNames();
    return {
      collections: names.length,
      documents: names.reduce((sum, name) => sum + this.engine.store.count(name), 0),
      openTransactions: this.engine.txns.openCount(),
      documentsExamined: this.engine.store.documentsExamined,
    };
  }

  /** Drops every document and collection, then re-creates the declared collections (empty). */
  async reset(): Promise<void> {
    this.engine.txns.clear();
    this.engine.store.dropAll();
    this.createDeclared();
  }

  /** Creates a collection (if missing) and ensures its indexes, as the deploy step does in CloudBase. */
  createCollection(name: string, indexes: IndexSpec[] = []): void {
    this.engine.store.createCollection(name, this.ctx.clock.now());
    for (const index of indexes) this.engine.store.ensureIndex(name, index);
  }

  /**
   * Inserts many documents straight into storage in one SQLite transaction (seeding, benchmarks).
   * Documents are plain JS values; missing `_id`s are generated. Answers the ids.
   */
  bulkInsert(collection: string, docs: Doc[]): string[] {
    this.engine.requireCollection(collection);
    const rows = docs.map((doc) => {
      const id = doc._id ?? randomBytes(16).toString('hex');
      if (typeof id !== 'string' && typeof id !== 'number')
        throw requestFailed('_id must be a string or a number');
      return { id: idKey(id), doc: { ...doc, _id: id } };
    });
    this.engine.store.bulkInsert(collection, rows);
    return rows.map((r) => String(r.doc._id));
  }

  /** How a WHERE query would find its documents, and how many it examined. */
  explain(collection: string, query: Doc): Explanation {
    return this.engine.explain(collection, query);
  }

  private createDeclared(): void {
    for (const declaration of this.declared) this.createCollection(declaration.name, declaration.indexes);
  }
}

/** Service factory for the hub's list. */
export const databaseService: ServiceFactory = (ctx) => new DatabaseService(ctx);

/** Bulk-inserts plain documents through a running hub's database (the benchmark's seeding helper). */
export function bulkInsertDocuments(
  hub: { service<T extends EmulatorService>(name: string): T },
  collection: string,
  docs: Doc[],
): string[] {
  return hub.service<DatabaseService>('database').bulkInsert(collection, docs);
}
