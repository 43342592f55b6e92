import type Database from 'better-sqlite3';

/** Creates the one table every DurableMap writes to (idempotent). */
function ensureTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS durable_state (
    ns TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (ns, key))`);
}

/**
 * A Map whose entries live in the data folder's SQLite file: loaded when built, and every `set`,
 * `delete` and `clear` written through before it returns, so a fake's state survives a restart like
 * the database does. Values are JSON; a value changed in place must be `set` again to be kept.
 */
export class DurableMap<V> extends Map<string, V> {
  private readonly namespace: string;
  private readonly upsert: Database.Statement;
  private readonly removeOne: Database.Statement;
  private readonly removeAll: Database.Statement;

  /** `namespace` names this map's rows (e.g. `openapi.grants`); two maps must never share one. */
  constructor(db: Database.Database, namespace: string) {
    super();
    ensureTable(db);
    const rows = db
      .prepare('SELECT key, doc FROM durable_state WHERE ns = ? ORDER BY rowid')
      .all(namespace) as Array<{
      key: string;
      doc: string;
    }>;
    for (const row of rows) super.set(row.key, JSON.parse(row.doc) as V);
    this.namespace = namespace;
    this.upsert = db.prepare(
      `INSERT INTO durable_state (ns, key, doc) VALUES (?, ?, ?)
       ON CONFLICT (ns, key) DO UPDATE SET doc = excluded.doc`,
    );
    this.removeOne = db.prepare('DELETE FROM durable_state WHERE ns = ? AND key = ?');
    this.removeAll = db.prepare('DELETE FROM durable_state WHERE ns = ?');
  }

  override set(key: string, value: V): this {
    this.upsert.run(this.namespace, key, JSON.stringify(value));
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.removeOne.run(this.namespace, key);
    return super.delete(key);
  }

  override clear(): void {
    this.removeAll.run(this.namespace);
    super.clear();
  }
}
