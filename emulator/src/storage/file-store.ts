import type Database from 'better-sqlite3';
import type { StoragePermission } from './acl';

/** One stored file (its bytes are read apart, only when served). */
export interface StoredFile {
  cloudPath: string;
  size: number;
  contentType: string;
  /** `resource.openid`: who uploaded it from the mini-program; absent for admin uploads. */
  ownerOpenid?: string;
  permission: StoragePermission;
  /** Emulator-clock epoch ms of the upload. */
  uploadedAt: number;
}

/** A signed, expiring capability: an upload ticket (one PUT of one path) or a temp download link. */
export interface StorageLink {
  token: string;
  kind: 'upload' | 'download';
  cloudPath: string;
  /** Upload tickets only: the creator recorded when the PUT lands (absent = admin). */
  ownerOpenid?: string;
  /** Emulator-clock epoch ms. */
  expiresAt: number;
}

interface FileRow {
  path: string;
  size: number;
  content_type: string;
  owner: string | null;
  permission: StoragePermission;
  uploaded_at: number;
}

function fileOf(row: FileRow): StoredFile {
  return {
    cloudPath: row.path,
    size: row.size,
    contentType: row.content_type,
    ...(row.owner !== null && { ownerOpenid: row.owner }),
    permission: row.permission,
    uploadedAt: row.uploaded_at,
  };
}

/** SQLite persistence of the bucket (tables prefixed `storage_`), so files survive a restart. */
export class FileStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS storage_files (
        path TEXT PRIMARY KEY, bytes BLOB NOT NULL, size INTEGER NOT NULL, content_type TEXT NOT NULL,
        owner TEXT, permission TEXT NOT NULL, uploaded_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS storage_links (
        token TEXT PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL, owner TEXT,
        expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS storage_links_expiry ON storage_links (expires_at);
    `);
  }

  /** The file at `cloudPath`, without its bytes. */
  get(cloudPath: string): StoredFile | undefined {
    const row = this.db
      .prepare(
        'SELECT path, size, content_type, owner, permission, uploaded_at FROM storage_files WHERE path = ?',
      )
      .get(cloudPath) as FileRow | undefined;
    return row ? fileOf(row) : undefined;
  }

  /** The bytes of the file at `cloudPath`. */
  bytes(cloudPath: string): Buffer | undefined {
    const row = this.db.prepare('SELECT bytes FROM storage_files WHERE path = ?').get(cloudPath) as
      { bytes: Buffer } | undefined;
    return row?.bytes;
  }

  /** Writes (or overwrites) a file. */
  put(file: StoredFile, bytes: Buffer): void {
    this.db
      .prepare(
        `INSERT INTO storage_files (path, bytes, size, content_type, owner, permission, uploaded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET bytes = excluded.bytes, size = excluded.size,
           content_type = excluded.content_type, owner = excluded.owner,
           permission = excluded.permission, uploaded_at = excluded.uploaded_at`,
      )
      .run(
        file.cloudPath,
        bytes,
        bytes.length,
        file.contentType,
        file.ownerOpenid ?? null,
        file.permission,
        file.uploadedAt,
      );
  }

  /** Deletes a file; answers whether there was one. */
  remove(cloudPath: string): boolean {
    return this.db.prepare('DELETE FROM storage_files WHERE path = ?').run(cloudPath).changes > 0;
  }

  /** Every file, newest first (for the console). */
  list(limit: number): StoredFile[] {
    const rows = this.db
      .prepare(
        `SELECT path, size, content_type, owner, permission, uploaded_at FROM storage_files
         ORDER BY uploaded_at DESC, path LIMIT ?`,
      )
      .all(limit) as FileRow[];
    return rows.map(fileOf);
  }

  /** Number of stored files. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM storage_files').get() as { n: number }).n;
  }

  /** Stores a link, dropping links that expired before `now`. */
  addLink(link: StorageLink, now: number): void {
    this.db.prepare('DELETE FROM storage_links WHERE expires_at < ?').run(now);
    this.db
      .prepare('INSERT INTO storage_links (token, kind, path, owner, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(link.token, link.kind, link.cloudPath, link.ownerOpenid ?? null, link.expiresAt);
  }

  /** A link by token (expired ones included: the caller decides what expiry answers). */
  link(token: string): StorageLink | undefined {
    const row = this.db
      .prepare('SELECT token, kind, path, owner, expires_at FROM storage_links WHERE token = ?')
      .get(token) as
      | { token: string; kind: StorageLink['kind']; path: string; owner: string | null; expires_at: number }
      | undefined;
    if (!row) return undefined;
    return {
      token: row.token,
      kind: row.kind,
      cloudPath: row.path,
      ...(row.owner !== null && { ownerOpenid: row.owner }),
      expiresAt: row.expires_at,
    };
  }

  /** Uses up an upload ticket (single use). */
  consumeLink(token: string): void {
    this.db.prepare('DELETE FROM storage_links WHERE token = ?').run(token);
  }

  /** Drops every file and link. */
  clear(): void {
    this.db.exec('DELETE FROM storage_files; DELETE FROM storage_links;');
  }
}
