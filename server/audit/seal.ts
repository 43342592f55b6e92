import { auditKeys, type AuditKeys } from './audit-keys';
import { AUDIT_HEAD_COLLECTION, AUDIT_HOMES, type HomeHead } from './audit-log';
import type { ChainHead } from './chain-head';
import { AUDIT_HEAD_FIELD, type DocStore, type StoredDoc } from '../storage/doc-store';
import { GENESIS_HASH, linkHash } from './hash-chain';

/** Collection of the audit's seals: its global checkpoint chain, written only by the sealing timer. */
export const AUDIT_SEALS = 'auditSeals';

/** Where one family of per-subject chains keeps its heads and its seal chain. */
export interface ChainBook {
  heads: string;
  seals: string;
  /** Subject kinds whose heads live in the subject's own document (field `auditHead`), by collection. */
  homes?: Readonly<Record<string, string>>;
}

/** The audit's chains. */
export const AUDIT_BOOK: ChainBook = { heads: AUDIT_HEAD_COLLECTION, seals: AUDIT_SEALS, homes: AUDIT_HOMES };

/** An unsealed head and where it is kept (its heads document or its subject's own document). */
interface UnsealedHead {
  collection: string;
  id: string;
  head: HomeHead;
}

/** Every unsealed head of `book`, from its heads collection and from the subjects' own documents, at most `limit`. */
async function unsealedHeads(store: DocStore, book: ChainBook, limit: number): Promise<UnsealedHead[]> {
  const order = (field: string) => ({ orderBy: { field, direction: 'asc' as const }, limit });
  const homes = Object.values(book.homes ?? {});
  const [own, ...inHomes] = await Promise.all([
    store.find<ChainHead>(book.heads, { unsealed: true }, order('updatedAt')),
    ...homes.map((collection) =>
      store.find<StoredDoc>(collection, { [`${AUDIT_HEAD_FIELD}.unsealed`]: true }, order('_id')),
    ),
  ]);
  const fromHomes = homes.flatMap((collection, i) =>
    (inHomes[i] ?? []).map((doc) => ({ collection, id: doc._id, head: doc[AUDIT_HEAD_FIELD] as HomeHead })),
  );
  return [...own.map((h) => ({ collection: book.heads, id: h._id, head: h })), ...fromHomes].slice(0, limit);
}

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

/** The latest seal of a book, if any. */
export async function latestSeal(store: DocStore, seals = AUDIT_SEALS): Promise<AuditSeal | undefined> {
  const [last] = await store.find<AuditSeal>(
    seals,
    {},
    {
      orderBy: { field: 'seq', direction: 'desc' },
      limit: 1,
    },
  );
  return last;
}

/**
 * One sealing step (run by a timer): chains every head of `book` changed since the last seal into
 * the next seal, then marks those heads sealed (conditional on their sequence, so a head that moved
 * on meanwhile stays unsealed for the next step). Concurrent steps write at most one seal per number.
 */
export async function sealChains(store: DocStore, book: ChainBook, at: number): Promise<{ sealed: number }> {
  const found = await unsealedHeads(store, book, HEADS_PER_SEAL);
  const heads = found.map((f) => f.head);
  if (heads.length === 0) return { sealed: 0 };
  const keys = auditKeys();
  const last = await latestSeal(store, book.seals);
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
    if (await tx.get(book.seals, seal._id)) return false;
    await tx.put(book.seals, seal);
    return true;
  });
  if (!written) return { sealed: 0 };
  for (let i = 0; i < found.length; i += 20) {
    await Promise.all(
      found
        .slice(i, i + 20)
        .map(({ collection, id, head }) =>
          collection === book.heads
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

/** One sealing step of the audit's chains. */
export function sealAudit(store: DocStore, at: number): Promise<{ sealed: number }> {
  return sealChains(store, AUDIT_BOOK, at);
}

/** Why a seal check failed, and where. */
export interface SealBreak {
  chain: string;
  seq: number;
  reason: 'gap' | 'prev_mismatch' | 'unknown_key' | 'hash_mismatch' | 'seal_mismatch';
}

/** Where a seal check starts: before the first seal, or after one already verified (its number and hash). */
export interface SealCursor {
  seq: number;
  hash: string;
}

/** Before the first seal. */
export const FIRST_SEAL: SealCursor = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks a seal chain (in `seq` order, the seals after `from`) and that every head it sealed is still
 * the link it was (`hashAt` answers the stored hash of a chain's `seq`-th link); undefined when intact.
 */
export function checkSealChain(
  keys: AuditKeys,
  seals: readonly AuditSeal[],
  hashAt: (chain: string, seq: number) => string | undefined,
  from: SealCursor = FIRST_SEAL,
): SealBreak | undefined {
  let prev = from.hash;
  for (const [index, seal] of seals.entries()) {
    const seq = from.seq + index + 1;
    const key = keys.keys.get(seal.kid);
    if (seal.seq !== seq) return { chain: 'seal', seq, reason: 'gap' };
    if (seal.prevHash !== prev) return { chain: 'seal', seq, reason: 'prev_mismatch' };
    if (!key) return { chain: 'seal', seq, reason: 'unknown_key' };
    if (sealHash(key, seal) !== seal.hash) return { chain: 'seal', seq, reason: 'hash_mismatch' };
    for (const sealed of seal.heads) {
      if (hashAt(sealed.chain, sealed.seq) !== sealed.hash)
        return { chain: sealed.chain, seq: sealed.seq, reason: 'seal_mismatch' };
    }
    prev = seal.hash;
  }
  return undefined;
}
