import { randomBytes } from 'node:crypto';
import { DbError, DbErrorCode } from './errors';
import type { StoredDoc } from './store';
import type { Doc } from './values';

/** A write a transaction has made but not committed: the document's new content or null (removed). */
export interface BufferedWrite {
  collection: string;
  id: string;
  after: Doc | null;
}

/** One open transaction. */
export interface Transaction {
  id: string;
  /** Commit sequence number its reads see (snapshot isolation). */
  snapshot: number;
  /** Its own writes, by document key; reads see them first. */
  writes: Map<string, BufferedWrite>;
  /** Emulator time of its last request; abandoned transactions expire from it. */
  lastActivity: number;
}

/** A document version overwritten while some transaction might still need to read it. */
interface OldVersion {
  /** Sequence number that wrote this version. */
  from: number;
  /** Sequence number that replaced or removed it. */
  to: number;
  doc: Doc;
}

/** How long an idle transaction keeps its locks, in emulator milliseconds (CloudBase: about 30 s). */
export const TRANSACTION_IDLE_LIMIT_MS = 30_000;

/** The key naming one document across collections. */
export function docKey(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

/**
 * Open transactions, their document locks, and the old versions their snapshots still need.
 * Lock rules: a transaction's write locks the document; another transaction writing it gets
 * DATABASE_TRANSACTION_CONFLICT at once; plain writes wait for the lock to be released.
 */
export class TransactionManager {
  private readonly open = new Map<string, Transaction>();
  private readonly locks = new Map<string, string>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly history = new Map<string, OldVersion[]>();

  /** Starts a transaction whose snapshot is `snapshot`. */
  begin(snapshot: number, now: number): Transaction {
    const txn: Transaction = {
      id: randomBytes(16).toString('hex'),
      snapshot,
      writes: new Map(),
      lastActivity: now,
    };
    this.open.set(txn.id, txn);
    return txn;
  }

  /** An open transaction by id; throws when unknown, finished or expired. */
  get(id: string, now: number): Transaction {
    this.expire(now);
    const txn = this.open.get(id);
    if (!txn)
      throw new DbError(
        DbErrorCode.transactionFail,
        `transaction ${id} does not exist on the server: it was committed or aborted, or not committed or aborted within ${TRANSACTION_IDLE_LIMIT_MS / 1000} s`,
      );
    txn.lastActivity = now;
    return txn;
  }

  /** Whether a transaction with this id is open. */
  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  /** Number of open transactions. */
  openCount(): number {
    return this.open.size;
  }

  /**
   * Locks a document for a write of `txn`. Another transaction's lock, or a commit by someone else
   * after `txn`'s snapshot, refuses the write with DATABASE_TRANSACTION_CONFLICT and aborts `txn`
   * (as MongoDB aborts on a write conflict), so it holds no lock afterwards.
   */
  lockForWrite(txn: Transaction, key: string, current: StoredDoc | undefined, label: string): void {
    const owner = this.locks.get(key);
    let reason: string | undefined;
    if (owner !== undefined && owner !== txn.id) reason = 'another transaction is writing this document';
    else if (!txn.writes.has(key) && this.changedSinceSnapshot(txn, key, current))
      reason = `transaction conflict: ${label} was changed by another write after this transaction started`;
    if (reason) {
      this.finish(txn);
      throw new DbError(DbErrorCode.transactionConflict, `${reason}; retry the transaction`);
    }
    this.locks.set(key, txn.id);
  }

  /** Keys among `keys` locked by a transaction (plain writes must wait for them). */
  lockedKeys(keys: string[]): string[] {
    return keys.filter((key) => this.locks.has(key));
  }

  /** Resolves once none of `keys` is locked any more. */
  async waitUnlocked(keys: string[]): Promise<void> {
    for (const key of keys) {
      if (!this.locks.has(key)) continue;
      await new Promise<void>((resolve) => {
        const list = this.waiters.get(key) ?? [];
        list.push(resolve);
        this.waiters.set(key, list);
      });
    }
  }

  /**
   * Called before any committed change to a document: keeps the version being replaced while an open
   * transaction's snapshot predates the change, so that transaction still reads it.
   */
  recordOverwrite(key: string, before: StoredDoc | undefined, seq: number): void {
    if (!before || this.open.size === 0) return;
    const needed = [...this.open.values()].some((t) => t.snapshot >= before.version && t.snapshot < seq);
    if (!needed) return;
    const list = this.history.get(key) ?? [];
    list.push({ from: before.version, to: seq, doc: before.doc });
    this.history.set(key, list);
  }

  /** The document as `txn`'s snapshot saw it, given its current committed state. */
  snapshotRead(txn: Transaction, key: string, current: StoredDoc | undefined): Doc | undefined {
    const own = txn.writes.get(key);
    if (own) return own.after ?? undefined;
    if (current && current.version <= txn.snapshot) return current.doc;
    const old = this.history.get(key)?.find((v) => v.from <= txn.snapshot && txn.snapshot < v.to);
    return old?.doc;
  }

  /** Whether someone committed a change to the document after `txn`'s snapshot (first committer wins). */
  changedSinceSnapshot(txn: Transaction, key: string, current: StoredDoc | undefined): boolean {
    if (current && current.version > txn.snapshot) return true;
    return (this.history.get(key) ?? []).some((v) => v.to > txn.snapshot);
  }

  /** Ends a transaction: forgets it, releases its locks, wakes waiting writes, prunes old versions. */
  finish(txn: Transaction): void {
    this.open.delete(txn.id);
    for (const [key, owner] of [...this.locks]) {
      if (owner !== txn.id) continue;
      this.locks.delete(key);
      const waiting = this.waiters.get(key) ?? [];
      this.waiters.delete(key);
      for (const wake of waiting) wake();
    }
    this.prune();
  }

  /** Aborts transactions idle longer than the limit, releasing their locks. */
  expire(now: number): void {
    for (const txn of [...this.open.values()])
      if (now - txn.lastActivity > TRANSACTION_IDLE_LIMIT_MS) this.finish(txn);
  }

  /** Aborts every transaction (reset and stop). */
  clear(): void {
    for (const txn of [...this.open.values()]) this.finish(txn);
    this.history.clear();
  }

  private prune(): void {
    const oldest = Math.min(...[...this.open.values()].map((t) => t.snapshot));
    for (const [key, versions] of [...this.history]) {
      const kept = versions.filter((v) => v.to > oldest);
      if (kept.length > 0) this.history.set(key, kept);
      else this.history.delete(key);
    }
  }
}
