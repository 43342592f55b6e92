import { auditKeys } from './audit-keys';
import { AUDIT_HEAD_COLLECTION, type AuditHead } from './audit-log';
import type { DocStore, StoredDoc } from '../storage/doc-store';
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
export async function sealAudit(store: DocStore, at: number): Promise<{ sealed: number }> {
  const heads = await store.find<AuditHead>(
    AUDIT_HEAD_COLLECTION,
    { unsealed: true },
    {
      orderBy: { field: 'updatedAt', direction: 'asc' },
      limit: HEADS_PER_SEAL,
    },
  );
  if (heads.length === 0) return { sealed: 0 };
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
  for (let i = 0; i < heads.length; i += 20) {
    await Promise.all(
      heads
        .slice(i, i + 20)
        .map((h) =>
          store.updateWhere(AUDIT_HEAD_COLLECTION, { _id: h._id, seq: h.seq }, { unsealed: false }),
        ),
    );
  }
  return { sealed: heads.length };
}
