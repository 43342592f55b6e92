import type Database from 'better-sqlite3';
import { EJSON } from 'bson';
import { requestFailed } from './errors';
import { encodeComponent } from './key-encoding';
import { valuesAtPath } from './paths';
import { decodeStored, encodeEjson, type Doc } from './values';

/** One field of an index, in key order. */
export interface IndexKey {
  /** Dotted field path, e.g. `applicant.openid`. */
  field: string;
  /** 1 or -1 (kept for the declaration; candidate selection does not depend on it), or a geo index. */
  direction: 1 | -1 | '2dsphere';
}

/** An index as declared in collections.json. */
export interface IndexSpec {
  /** Name unique within its collection. */
  name: string;
  /** Fields in priority order (a compound index when more than one). */
  keys: IndexKey[];
  /** Whether two documents may not share a key. */
  unique: boolean;
}

/** A stored document with the commit sequence number of its last write. */
export interface StoredDoc {
  doc: Doc;
  version: number;
  /** Natural (insertion) order: kept when the document is updated, as MongoDB keeps its record id. */
  pos?: number;
}

/** A byte range of one index: `lower <= key < upper`. */
export interface KeyRange {
  lower: Buffer;
  upper: Buffer;
}

/** One change to apply: the document's new content, or null to delete it. */
export interface DocChange {
  id: string;
  after: Doc | null;
}

/** The `id` column for an `_id` value: strings as they are, anything else by its EJSON. */
export function idKey(id: unknown): string {
  return typeof id === 'string' ? id : `\u0000${EJSON.stringify({ id }, { relaxed: false })}`;
}

/** Whether an index is a 2dsphere index (geo queries need one; it holds no sortable keys). */
export function isGeoIndex(spec: IndexSpec): boolean {
  return spec.keys.some((k) => k.direction === '2dsphere');
}

/** Cartesian product of each field's values: the keys a document contributes to an index. */
function indexKeysOf(doc: Doc, spec: IndexSpec): Buffer[] {
  if (isGeoIndex(spec)) return [];
  let keys: Buffer[] = [Buffer.alloc(0)];
  for (const key of spec.keys) {
    const components = [
      ...new Set(valuesAtPath(doc, key.field).map((v) => encodeComponent(v).toString('latin1'))),
    ];
    keys = keys.flatMap((prefix) => components.map((c) => Buffer.concat([prefix, Buffer.from(c, 'latin1')])));
  }
  return keys;
}

/**
 * Adds the natural-order column to a data folder made before it existed (old documents keep their
 * write order) and answers the highest position in use.
 */
function addNaturalOrder(sqlite: Database.Database): number {
  const columns = sqlite.prepare('PRAGMA table_info(db_documents)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'pos')) {
    sqlite.exec('ALTER TABLE db_documents ADD COLUMN pos INTEGER NOT NULL DEFAULT 0');
    sqlite.exec('UPDATE db_documents SET pos = version');
  }
  sqlite.exec('CREATE INDEX IF NOT EXISTS db_documents_natural ON db_documents (collection, pos)');
  const row = sqlite.prepare('SELECT MAX(pos) AS p FROM db_documents').get() as { p: number | null };
  return row.p ?? 0;
}

/**
 * SQLite persistence of collections, documents (canonical EJSON) and index entries
 * (sortable key → document id), all in the hub's one connection. Every multi-row change runs in
 * one SQLite transaction, so nothing is ever half-written.
 */
export class DocumentStore {
  private readonly indexCache = new Map<string, IndexSpec[]>();
  private entryStatementCache: { insert: Database.Statement; clash: Database.Statement } | undefined;
  /** Prepared statements by SQL text: preparing was half of SQLite's time per call. */
  private readonly statements = new Map<string, Database.Statement>();
  private seq: number;
  private pos: number;
  /** Documents deserialised and tested by queries since start (the proof that indexes are used). */
  documentsExamined = 0;

  constructor(private readonly sqlite: Database.Database) {
    sqlite.exec(`
      CREATE TABLE IF NOT EXISTS db_collections (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS db_indexes (
        collection TEXT NOT NULL, name TEXT NOT NULL, keys TEXT NOT NULL, is_unique INTEGER NOT NULL,
        PRIMARY KEY (collection, name));
      CREATE TABLE IF NOT EXISTS db_documents (
        collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, version INTEGER NOT NULL,
        PRIMARY KEY (collection, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS db_index_entries (
        collection TEXT NOT NULL, index_name TEXT NOT NULL, key BLOB NOT NULL, doc_id TEXT NOT NULL,
        PRIMARY KEY (collection, index_name, key, doc_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS db_index_entries_by_doc ON db_index_entries (collection, doc_id);
    `);
    this.pos = addNaturalOrder(sqlite);
    const row = sqlite.prepare('SELECT MAX(version) AS v FROM db_documents').get() as { v: number | null };
    this.seq = row.v ?? 0;
  }

  /** The next natural-order position (every newly inserted document gets a later one). */
  private nextPos(): number {
    this.pos += 1;
    return this.pos;
  }

  /** Allocates the next commit sequence number. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** The last allocated commit sequence number (a transaction's snapshot point). */
  currentSeq(): number {
    return this.seq;
  }

  /** Whether a collection exists. */
  hasCollection(name: string): boolean {
    return this.prepared('SELECT 1 FROM db_collections WHERE name = ?').get(name) !== undefined;
  }

  /** Names of every collection. */
  collectionNames(): string[] {
    return (
      this.sqlite.prepare('SELECT name FROM db_collections ORDER BY name').all() as Array<{ name: string }>
    ).map((r) => r.name);
  }

  /** Creates a collection; false when it already existed. */
  createCollection(name: string, now: number): boolean {
    const result = this.prepared('INSERT OR IGNORE INTO db_collections (name, created_at) VALUES (?, ?)').run(
      name,
      now,
    );
    return result.changes > 0;
  }

  /** The indexes of a collection. */
  indexes(collection: string): IndexSpec[] {
    const cached = this.indexCache.get(collection);
    if (cached) return cached;
    const rows = this.sqlite
      .prepare('SELECT name, keys, is_unique FROM db_indexes WHERE collection = ? ORDER BY name')
      .all(collection) as Array<{ name: string; keys: string; is_unique: number }>;
    const specs = rows.map((r) => ({
      name: r.name,
      keys: JSON.parse(r.keys) as IndexKey[],
      unique: r.is_unique === 1,
    }));
    this.indexCache.set(collection, specs);
    return specs;
  }

  /**
   * Creates (or, when its definition changed, rebuilds) an index over the documents already stored.
   * A unique index that existing documents violate is refused and nothing changes.
   */
  ensureIndex(collection: string, spec: IndexSpec): void {
    const existing = this.indexes(collection).find((i) => i.name === spec.name);
    if (existing && JSON.stringify(existing) === JSON.stringify(spec)) return;
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('DELETE FROM db_index_entries WHERE collection = ? AND index_name = ?')
        .run(collection, spec.name);
      this.sqlite
        .prepare('INSERT OR REPLACE INTO db_indexes (collection, name, keys, is_unique) VALUES (?, ?, ?, ?)')
        .run(collection, spec.name, JSON.stringify(spec.keys), spec.unique ? 1 : 0);
      this.indexCache.delete(collection);
      const rows = this.sqlite
        .prepare('SELECT id, body FROM db_documents WHERE collection = ?')
        .iterate(collection);
      for (const row of rows as Iterable<{ id: string; body: string }>)
        this.insertEntries(collection, spec, row.id, decodeStored(row.body));
    })();
    this.indexCache.delete(collection);
  }

  /** One document by id, or undefined. */
  get(collection: string, id: string): StoredDoc | undefined {
    const row = this.prepared(
      'SELECT body, version, pos FROM db_documents WHERE collection = ? AND id = ?',
    ).get(collection, id) as { body: string; version: number; pos: number } | undefined;
    return row ? { doc: decodeStored(row.body), version: row.version, pos: row.pos } : undefined;
  }

  /** Every document of a collection (a scan), in natural (insertion) order. */
  *scan(collection: string): Generator<Doc> {
    const rows = this.sqlite
      .prepare('SELECT body FROM db_documents WHERE collection = ? ORDER BY pos')
      .iterate(collection);
    for (const row of rows as Iterable<{ body: string }>) yield decodeStored(row.body);
  }

  /** Ids of documents having an index key within any of the ranges. */
  idsInRanges(collection: string, indexName: string, ranges: KeyRange[]): string[] {
    const statement = this.prepared(
      'SELECT doc_id FROM db_index_entries WHERE collection = ? AND index_name = ? AND key >= ? AND key < ?',
    );
    const ids = new Set<string>();
    for (const range of ranges) {
      for (const row of statement.iterate(collection, indexName, range.lower, range.upper) as Iterable<{
        doc_id: string;
      }>)
        ids.add(row.doc_id);
    }
    return [...ids].sort();
  }

  /** Number of documents in a collection. */
  count(collection: string): number {
    const row = this.prepared('SELECT COUNT(*) AS n FROM db_documents WHERE collection = ?').get(
      collection,
    ) as {
      n: number;
    };
    return row.n;
  }

  /**
   * Applies changes atomically under one commit sequence number, keeping index entries in step.
   * A unique-index violation rolls everything back and throws DATABASE_REQUEST_FAILED.
   */
  apply(collection: string, changes: DocChange[], seq: number): void {
    const specs = this.indexes(collection);
    const remove = this.prepared('DELETE FROM db_documents WHERE collection = ? AND id = ?');
    const removeEntries = this.prepared('DELETE FROM db_index_entries WHERE collection = ? AND doc_id = ?');
    const upsert = this.prepared(
      `INSERT INTO db_documents (collection, id, body, version, pos) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body, version = excluded.version`,
    );
    this.sqlite.transaction(() => {
      for (const change of changes) {
        removeEntries.run(collection, change.id);
        if (change.after === null) {
          remove.run(collection, change.id);
          continue;
        }
        upsert.run(collection, change.id, encodeEjson(change.after), seq, this.nextPos());
        for (const spec of specs) this.insertEntries(collection, spec, change.id, change.after);
      }
    })();
  }

  /** Inserts many new documents in one SQLite transaction (seeding and benchmarks). */
  bulkInsert(collection: string, docs: Array<{ id: string; doc: Doc }>): void {
    const seq = this.nextSeq();
    const specs = this.indexes(collection);
    const insert = this.prepared(
      'INSERT INTO db_documents (collection, id, body, version, pos) VALUES (?, ?, ?, ?, ?)',
    );
    this.sqlite.transaction(() => {
      for (const { id, doc } of docs) {
        try {
          insert.run(collection, id, encodeEjson(doc), seq, this.nextPos());
        } catch {
          throw requestFailed(`duplicate _id ${id} in collection ${collection}`);
        }
        for (const spec of specs) this.insertEntries(collection, spec, id, doc);
      }
    })();
  }

  /** Runs `work` inside one SQLite transaction (nested calls become savepoints). */
  atomically<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }

  /** Deletes every collection, index and document. */
  dropAll(): void {
    this.sqlite.exec(
      'DELETE FROM db_index_entries; DELETE FROM db_documents; DELETE FROM db_indexes; DELETE FROM db_collections;',
    );
    this.indexCache.clear();
  }

  /** A prepared statement for `sql`, prepared once (never one that is iterated lazily, e.g. by scan()). */
  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private insertEntries(collection: string, spec: IndexSpec, id: string, doc: Doc): void {
    const { insert, clash } = this.entryStatements();
    for (const key of indexKeysOf(doc, spec)) {
      if (spec.unique) {
        const other = clash.get(collection, spec.name, key, id) as { doc_id: string } | undefined;
        if (other) {
          const fields = spec.keys.map((k) => k.field).join(', ');
          throw requestFailed(
            `duplicate key in unique index ${spec.name} of ${collection} (${fields}): another document already has this value`,
          );
        }
      }
      insert.run(collection, spec.name, key, id);
    }
  }

  private entryStatements(): { insert: Database.Statement; clash: Database.Statement } {
    this.entryStatementCache ??= {
      insert: this.sqlite.prepare(
        'INSERT OR IGNORE INTO db_index_entries (collection, index_name, key, doc_id) VALUES (?, ?, ?, ?)',
      ),
      clash: this.sqlite.prepare(
        'SELECT doc_id FROM db_index_entries WHERE collection = ? AND index_name = ? AND key = ? AND doc_id <> ? LIMIT 1',
      ),
    };
    return this.entryStatementCache;
  }
}
