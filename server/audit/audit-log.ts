import type { DocStore, StoredDoc, TxDocs } from './doc-store';
import {
  auditRecordId,
  chainHash,
  ChainVerifier,
  GENESIS_HASH,
  type AuditEntry,
  type AuditRecord,
  type ChainVerdict,
} from './chain';

/** Collection of the chain's records. */
export const AUDIT_COLLECTION = 'auditLog';
/** Collection holding the single head document. */
export const AUDIT_HEAD_COLLECTION = 'auditHead';
const HEAD_ID = 'head';

/** The chain head: last sequence number and hash. */
interface AuditHead extends StoredDoc {
  seq: number;
  hash: string;
  version: number;
}

/**
 * Appends `entry` inside the caller's transaction. Every append reads and rewrites the one head
 * document, so concurrent appends conflict and serialise; the record commits with the change it
 * records, or neither does.
 */
export async function appendAudit(tx: TxDocs, entry: AuditEntry): Promise<AuditRecord> {
  const head = await tx.get<AuditHead>(AUDIT_HEAD_COLLECTION, HEAD_ID);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const record: AuditRecord = {
    _id: auditRecordId(seq),
    seq,
    prevHash,
    hash: chainHash(prevHash, entry),
    entry,
  };
  await tx.put(AUDIT_COLLECTION, { ...record });
  await tx.put(AUDIT_HEAD_COLLECTION, {
    _id: HEAD_ID,
    seq,
    hash: record.hash,
    version: (head?.version ?? 0) + 1,
  });
  return record;
}

/** Page size for reading the chain (CloudBase's maximum). */
const PAGE = 1000;

/** Reads the whole chain in order and reports ok or the first broken link. */
export async function verifyChain(store: DocStore): Promise<ChainVerdict> {
  const verifier = new ChainVerifier();
  for (let fromSeq = 1; ; fromSeq += PAGE) {
    const page = await store.find<AuditRecord & StoredDoc>(
      AUDIT_COLLECTION,
      { seq: { $gte: fromSeq, $lt: fromSeq + PAGE } },
      { orderBy: { field: 'seq', direction: 'asc' }, limit: PAGE },
    );
    page.forEach((record) => verifier.feed(record));
    if (page.length < PAGE) break;
  }
  const head = await store.get<AuditHead>(AUDIT_HEAD_COLLECTION, HEAD_ID);
  return verifier.finish(head);
}

/** Appends one audit record in a transaction of its own (for events that change nothing else). */
export async function recordAudit(store: DocStore, entry: AuditEntry): Promise<AuditRecord> {
  return store.transact((tx) => appendAudit(tx, entry));
}
