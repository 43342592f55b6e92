import { randomBytes } from 'node:crypto';
import { auditKeys } from './audit-keys';
import {
  AUDIT_HEAD_FIELD,
  AUDIT_PENDING_FIELD,
  type DocStore,
  type StoredDoc,
  type TxDocs,
} from '../storage/doc-store';
import type { ChainHead } from './chain-head';
import { GENESIS_HASH, linkHash } from './hash-chain';
import { chainOf, nextAuditRecord, type AuditEntry, type AuditRecord } from './chain';
import { pendingAuditRecords, withoutPendingAudit } from './pending';

/** Collection of every chain's records. */
export const AUDIT_COLLECTION = 'auditLog';
/** Collection of chain heads of subjects without a document of their own (`_id` = chain). */
export const AUDIT_HEAD_COLLECTION = 'auditHeads';

/**
 * Subjects whose chain head lives in the subject's own document (field `auditHead`), written with
 * the change it records: no head document to read or write besides the one the change writes anyway.
 */
export const AUDIT_HOMES: Readonly<Record<string, string>> = {
  application: 'loanApplications',
  payout: 'payouts',
};

/** The collection and id of a chain's home document, when its subject kind has one. */
export function homeOf(chain: string): { collection: string; id: string } | undefined {
  const at = chain.indexOf(':');
  const collection = at > 0 ? AUDIT_HOMES[chain.slice(0, at)] : undefined;
  return collection ? { collection, id: chain.slice(at + 1) } : undefined;
}

/** The head kept in a home document: the fields of an `auditHeads` document without its id. */
export type HomeHead = Pick<ChainHead, 'chain' | 'seq' | 'hash' | 'unsealed' | 'updatedAt'>;
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

/** The chain's head as the transaction sees it: its home document's field, or its `auditHeads` document. */
async function currentHead(
  tx: TxDocs,
  chain: string,
): Promise<{ home?: StoredDoc; head: { seq: number; hash: string } }> {
  const where = homeOf(chain);
  const home = where ? await tx.get<StoredDoc>(where.collection, where.id) : undefined;
  if (home)
    return { home, head: (home[AUDIT_HEAD_FIELD] as HomeHead | undefined) ?? { seq: 0, hash: GENESIS_HASH } };
  return { head: (await tx.get<AuditHead>(AUDIT_HEAD_COLLECTION, chain)) ?? { seq: 0, hash: GENESIS_HASH } };
}

/**
 * Appends `entry` to its subject's chain inside the caller's transaction: the record is inserted
 * (its id names chain and position, so two appends at one position cannot both commit) and the
 * head moves in the subject's own document when it has one (write the subject in the same
 * transaction, before or after), else in its `auditHeads` document. Two borrowers' changes never
 * touch the same audit document; the record commits with the change it records, or neither does.
 */
export async function appendAudit(tx: TxDocs, entry: AuditEntry): Promise<AuditRecord> {
  const chain = chainOf(entry);
  // Reads see the transaction's own writes, so a second append in one change follows the first.
  const { home, head } = await currentHead(tx, chain);
  // Records a change without a transaction left in the subject's document go to the log first.
  for (const waiting of home ? pendingAuditRecords(home) : [])
    await tx.insert(AUDIT_COLLECTION, { ...waiting });
  const record = nextAuditRecord(auditKeys(), chain, head, entry);
  await tx.insert(AUDIT_COLLECTION, { ...record });
  const nextHead: HomeHead = {
    chain,
    seq: record.seq,
    hash: record.hash,
    unsealed: true,
    updatedAt: entry.at,
  };
  const where = homeOf(chain);
  if (home && where) {
    await tx.put(where.collection, { ...withoutPendingAudit(home), [AUDIT_HEAD_FIELD]: nextHead });
  } else {
    await tx.put(AUDIT_HEAD_COLLECTION, { _id: chain, ...nextHead });
  }
  return record;
}

/**
 * Reads the chain head of `subject` into the transaction before the change that will append to
 * it, so a caller can run that read in parallel with its own (the append then reads it from the
 * transaction, at no cost).
 */
export async function prefetchAuditHead(tx: TxDocs, subject: string, actor: string): Promise<void> {
  const chain = chainOf({ subject, actor });
  const where = homeOf(chain);
  await (where ? tx.get(where.collection, where.id) : tx.get<AuditHead>(AUDIT_HEAD_COLLECTION, chain));
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

/**
 * The head and waiting records of `home` after `entries` (all of the chain whose home it is) are
 * appended to it: the fields to write with the change, in the same update as the change.
 */
export function pendingAuditFields(
  home: StoredDoc,
  collection: string,
  entries: AuditEntry[],
): Pick<StoredDoc, typeof AUDIT_HEAD_FIELD | typeof AUDIT_PENDING_FIELD> {
  const keys = auditKeys();
  let moved = home[AUDIT_HEAD_FIELD] as HomeHead | undefined;
  const pending = [...pendingAuditRecords(home)];
  for (const entry of entries) {
    const chain = chainOf(entry);
    const where = homeOf(chain);
    if (where?.collection !== collection || where.id !== home._id)
      throw new Error(`audit chain ${chain} does not live in ${collection}/${home._id}`);
    const record = nextAuditRecord(keys, chain, moved ?? { seq: 0, hash: GENESIS_HASH }, entry);
    pending.push(record);
    moved = { chain, seq: record.seq, hash: record.hash, unsealed: true, updatedAt: entry.at };
  }
  return { [AUDIT_HEAD_FIELD]: moved, [AUDIT_PENDING_FIELD]: pending };
}
