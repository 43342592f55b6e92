import { auditKeys } from './audit-keys';
import { AUDIT_HEAD_COLLECTION, AUDIT_HOMES, type AuditHead, type HomeHead } from './audit-log';
import { AUDIT_HEAD_FIELD, type DocStore, type StoredDoc } from '../storage/doc-store';
import { GENESIS_HASH, linkHash } from './hash-chain';

/** Collection of seals: the global checkpoint chain, written only by the sealing timer. */
export const AUDIT_SEALS = 'auditSeals';

/** One chain head as a seal records it. */
export interface SealedHead {
  chain: string;
  seq: number;
  hash: string;
}

/** A checkpoint: the heads that changed since the previous seal, chained and keyed. */
export interface AuditSeal extends StoredDoc {
  seq: number;
  at: number;
  prevHash: string;
  heads: SealedHead[];
  kid: string;
  hash: string;
}

/** Heads sealed per seal document (keeps one document well under the size limit). */
const HEADS_PER_SEAL = 500;

/** The id of the `seq`-th seal: zero-padded so ids sort like numbers. */
export function sealId(seq: number): string {
  return `s${String(seq).padStart(10, '0')}`;
}

/** The MAC of a seal under `key`. */
export function sealHash(key: Buffer, seal: Pick<AuditSeal, 'seq' | 'at' | 'prevHash' | 'heads'>): string {
  return linkHash(seal.prevHash, { seq: seal.seq, at: seal.at, heads: seal.heads }, key);
}

/** The latest seal, if any. */
export async function latestSeal(store: DocStore): Promise<AuditSeal | undefined> {
  const [last] = await store.find<AuditSeal>(
    AUDIT_SEALS,
    {},
    {
      orderBy: { field: 'seq', direction: 'desc' },
      limit: 1,
    },
  );
  return last;
}

/**
 * One sealing step (run by a timer): chains every head changed since the last seal into the next
 * seal, then marks those heads sealed (conditional on their sequence, so a head that moved on
 * meanwhile stays unsealed for the next step). Concurrent steps write at most one seal per number.
 */
/** An unsealed head and where it is kept (its `auditHeads` document or its subject's own document). */
interface UnsealedHead {
  collection: string;
  id: string;
  head: HomeHead;
}

/** Every unsealed head, from `auditHeads` and from the subjects' own documents, at most `limit`. */
export async function unsealedHeads(store: DocStore, limit: number): Promise<UnsealedHead[]> {
  const order = (field: string) => ({ orderBy: { field, direction: 'asc' as const }, limit });
  const [own, ...homes] = await Promise.all([
    store.find<AuditHead>(AUDIT_HEAD_COLLECTION, { unsealed: true }, order('updatedAt')),
    ...Object.values(AUDIT_HOMES).map((collection) =>
      store.find<StoredDoc>(collection, { [`${AUDIT_HEAD_FIELD}.unsealed`]: true }, order('_id')),
    ),
  ]);
  const fromHomes = Object.values(AUDIT_HOMES).flatMap((collection, i) =>
    (homes[i] ?? []).map((doc) => ({ collection, id: doc._id, head: doc[AUDIT_HEAD_FIELD] as HomeHead })),
  );
  return [...own.map((h) => ({ collection: AUDIT_HEAD_COLLECTION, id: h._id, head: h })), ...fromHomes].slice(
    0,
    limit,
  );
}

export async function sealAudit(store: DocStore, at: number): Promise<{ sealed: number }> {
  const found = await unsealedHeads(store, HEADS_PER_SEAL);
  if (found.length === 0) return { sealed: 0 };
  const heads = found.map((f) => f.head);
  const keys = auditKeys();
  const last = await latestSeal(store);
  const body = {
    seq: (last?.seq ?? 0) + 1,
    at,
    prevHash: last?.hash ?? GENESIS_HASH,
    heads: heads.map((h) => ({ chain: h.chain, seq: h.seq, hash: h.hash })),
  };
  const seal: AuditSeal = {
    _id: sealId(body.seq),
    ...body,
    kid: keys.activeKid,
    hash: sealHash(keys.keys.get(keys.activeKid) as Buffer, body),
  };
  const written = await store.transact(async (tx) => {
    if (await tx.get(AUDIT_SEALS, seal._id)) return false;
    await tx.put(AUDIT_SEALS, seal);
    return true;
  });
  if (!written) return { sealed: 0 };
  for (let i = 0; i < found.length; i += 20) {
    await Promise.all(
      found
        .slice(i, i + 20)
        .map(({ collection, id, head }) =>
          collection === AUDIT_HEAD_COLLECTION
            ? store.updateWhere(collection, { _id: id, seq: head.seq }, { unsealed: false })
            : store.updateWhere(
                collection,
                { _id: id, [`${AUDIT_HEAD_FIELD}.seq`]: head.seq },
                { [AUDIT_HEAD_FIELD]: { ...head, unsealed: false } },
              ),
        ),
    );
  }
  return { sealed: heads.length };
}
