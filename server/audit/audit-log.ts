import { randomBytes } from 'node:crypto';
import { auditKeys } from './audit-keys';
import type { DocStore, StoredDoc, TxDocs } from '../storage/doc-store';
import { headInTx, putHeadInTx, type ChainHead } from './chain-head';
import { GENESIS_HASH, linkHash } from './hash-chain';
import { chainOf, nextAuditRecord, type AuditEntry, type AuditRecord } from './chain';

/** Collection of every chain's records. */
export const AUDIT_COLLECTION = 'auditLog';
/** Collection of chain heads: one document per subject (`_id` = chain), never shared by two subjects. */
export const AUDIT_HEAD_COLLECTION = 'auditHeads';
/** Refused calls: one self-authenticating document each, no chain and no shared head. */
export const AUDIT_REFUSALS = 'auditRefusals';

/** A chain's head: last sequence number and hash; `unsealed` until the next seal covers it. */
export type AuditHead = ChainHead;

/** A stored refused call. */
export interface AuditRefusal extends StoredDoc {
  chain: string;
  kid: string;
  hash: string;
  entry: AuditEntry;
}

/**
 * Appends `entry` to its subject's chain inside the caller's transaction: reads and rewrites only
 * that subject's head, so two borrowers' changes never touch the same audit document; the record
 * commits with the change it records, or neither does.
 */
export async function appendAudit(tx: TxDocs, entry: AuditEntry): Promise<AuditRecord> {
  const chain = chainOf(entry);
  const head = await headInTx(tx, AUDIT_HEAD_COLLECTION, chain);
  const record = nextAuditRecord(auditKeys(), chain, head, entry);
  await tx.put(AUDIT_COLLECTION, { ...record });
  await putHeadInTx(tx, AUDIT_HEAD_COLLECTION, chain, record, entry.at);
  return record;
}

/**
 * Reads the chain head of `subject` into the transaction before the change that will append to
 * it, so a caller can run that read in parallel with its own (the append then reads it from the
 * transaction, at no cost).
 */
export async function prefetchAuditHead(tx: TxDocs, subject: string, actor: string): Promise<void> {
  await tx.get<AuditHead>(AUDIT_HEAD_COLLECTION, chainOf({ subject, actor }));
}

/** The MAC of a refusal record: binds its id, chain and entry under key `kid`. */
export function refusalHash(key: Buffer, refusal: Pick<AuditRefusal, '_id' | 'chain' | 'entry'>): string {
  return linkHash(GENESIS_HASH, { id: refusal._id, chain: refusal.chain, entry: refusal.entry }, key);
}

/**
 * Records a refused call (authorization failure, rate limit) as its own keyed document with a
 * fresh id: no chain head, no document any other request writes, so a flood of refusals never
 * conflicts with anyone's change.
 */
export async function recordRefusal(store: DocStore, entry: AuditEntry): Promise<AuditRefusal> {
  const keys = auditKeys();
  const chain = chainOf(entry);
  const base = { _id: `${chain}#r${entry.at}-${randomBytes(6).toString('hex')}`, chain, entry };
  const key = keys.keys.get(keys.activeKid) as Buffer;
  const doc: AuditRefusal = { ...base, kid: keys.activeKid, hash: refusalHash(key, base) };
  await store.transact((tx) => tx.put(AUDIT_REFUSALS, doc));
  return doc;
}

/**
 * Records one event in a transaction of its own (events that change nothing else). A refused
 * outcome goes to the refusals collection instead of a chain.
 */
export async function recordAudit(store: DocStore, entry: AuditEntry): Promise<AuditRecord | AuditRefusal> {
  if (entry.outcome === 'refused') return recordRefusal(store, entry);
  return store.transact((tx) => appendAudit(tx, entry));
}
