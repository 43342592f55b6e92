import { AppError } from '../runtime/app-error';
import { isCloudTransactionConflict } from '../runtime/transaction-conflict';

/**
 * The small slice of the cloud database the lending domain needs, as a port: the real
 * implementation wraps wx-server-sdk (sdk-store.ts); tests may use the in-memory one.
 * Inside a transaction only single-document reads and whole-document writes exist, exactly
 * what CloudBase transactions support.
 */

/** Any stored document: an `_id` plus JSON-safe fields. */
export interface StoredDoc {
  _id: string;
  [field: string]: unknown;
}

/** Comparison operators a filter value may use besides plain equality. */
export interface FilterOperators {
  $lte?: number;
  $gte?: number;
  $lt?: number;
  /** Strictly after (cursor paging: an indexed field greater than the last one seen). */
  $gt?: number | string;
  $in?: Array<string | number>;
}

/** Equality (or simple comparison) on top-level fields; never built from client objects. */
export type DocFilter = Record<string, string | number | boolean | null | FilterOperators>;

/** Paging and order for `find`. */
export interface FindOptions {
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  /** Always explicit: CloudBase defaults differ between docs. */
  limit: number;
  skip?: number;
}

/** The operations allowed inside one transaction. */
export interface TxDocs {
  /** Reads one document by id within the transaction's snapshot. */
  get<T extends StoredDoc>(collection: string, id: string): Promise<T | undefined>;
  /** Creates or replaces one whole document. */
  put(collection: string, doc: StoredDoc): Promise<void>;
  /**
   * Creates one document that must not exist yet: the commit fails with DocumentExistsError when it
   * does (a guard that costs no read). New documents of one collection are sent in one call.
   */
  insert(collection: string, doc: StoredDoc): Promise<void>;
}

/** The database as the domain sees it. */
export interface DocStore {
  /** Runs `work` in one transaction; it may run several times on conflict, so it must be pure apart from `tx`. */
  transact<R>(work: (tx: TxDocs) => Promise<R>): Promise<R>;
  /** Reads one document outside any transaction. */
  get<T extends StoredDoc>(collection: string, id: string): Promise<T | undefined>;
  /** Queries documents by a trusted filter. */
  find<T extends StoredDoc>(collection: string, filter: DocFilter, options: FindOptions): Promise<T[]>;
  /** Queries documents matching any of the trusted filters (one round trip). */
  findAny<T extends StoredDoc>(collection: string, filters: DocFilter[], options: FindOptions): Promise<T[]>;
  /** Sets top-level fields on every document matching `filter`; answers how many changed (conditional update). */
  updateWhere(collection: string, filter: DocFilter, fields: Record<string, unknown>): Promise<number>;
}

/** Raised when concurrent transactions kept conflicting: a refusal the caller can retry later. */
export class StoreConflictError extends AppError {
  constructor() {
    super('CONCURRENT_UPDATE', '操作过于频繁，请稍后重试');
    this.name = 'StoreConflictError';
  }
}

/** The field of a subject's own document that holds its audit chain's head (server/audit). */
export const AUDIT_HEAD_FIELD = 'auditHead';

/**
 * The field of a subject's own document holding audit records not yet in the audit log: links that
 * follow the last logged one (the head is the last of them), written with a change made without a
 * transaction and moved to the log by the subject's next audited transaction (server/audit).
 */
export const AUDIT_PENDING_FIELD = 'auditPending';

/**
 * The version of a document a transaction writes: its audit chain's head (and the records waiting
 * in the document) never move back from what the transaction read or appended, even when the
 * caller built the document from an older copy.
 */
export function keepAuditHead(previous: StoredDoc | undefined, next: StoredDoc): StoredDoc {
  const before = previous?.[AUDIT_HEAD_FIELD] as { seq: number } | undefined;
  const after = next[AUDIT_HEAD_FIELD] as { seq: number } | undefined;
  if (!before || (after?.seq ?? 0) >= before.seq) return next;
  const { [AUDIT_PENDING_FIELD]: _stale, ...rest } = next;
  const pending = previous?.[AUDIT_PENDING_FIELD];
  return { ...rest, [AUDIT_HEAD_FIELD]: before, ...(pending ? { [AUDIT_PENDING_FIELD]: pending } : {}) };
}

/** Raised by a transaction whose `insert` found the document already there; nothing was written. */
export class DocumentExistsError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} already exists`);
    this.name = 'DocumentExistsError';
  }
}

/** True for a lost lock or commit conflict, raw from CloudBase or already mapped to StoreConflictError. */
export function isTransactionConflict(error: unknown): boolean {
  return error instanceof StoreConflictError || isCloudTransactionConflict(error);
}
