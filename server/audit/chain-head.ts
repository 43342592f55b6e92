import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { GENESIS_HASH } from './hash-chain';

/**
 * A chain's head, in a document of its own subject (`_id` = chain): last sequence number and hash;
 * `unsealed` until the next seal covers it. Audit chains and ledger chains keep heads this way.
 */
export interface ChainHead extends StoredDoc {
  chain: string;
  seq: number;
  hash: string;
  unsealed: boolean;
  updatedAt: number;
}

/** Heads already read or moved by each running transaction (several links to one chain in one change). */
const headsInTx = new WeakMap<TxDocs, Map<string, { seq: number; hash: string }>>();

/** The head of `chain` as this transaction sees it (its own earlier appends included). */
export async function headInTx(
  tx: TxDocs,
  collection: string,
  chain: string,
): Promise<{ seq: number; hash: string }> {
  const known = headsInTx.get(tx)?.get(`${collection}\u0000${chain}`);
  if (known) return known;
  const stored = await tx.get<ChainHead>(collection, chain);
  return stored ? { seq: stored.seq, hash: stored.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Writes the moved head of `chain` in the caller's transaction (it commits with the links, or neither). */
export async function putHeadInTx(
  tx: TxDocs,
  collection: string,
  chain: string,
  head: { seq: number; hash: string },
  at: number,
): Promise<void> {
  let heads = headsInTx.get(tx);
  if (!heads) headsInTx.set(tx, (heads = new Map()));
  heads.set(`${collection}\u0000${chain}`, { seq: head.seq, hash: head.hash });
  const doc: ChainHead = { _id: chain, chain, seq: head.seq, hash: head.hash, unsealed: true, updatedAt: at };
  await tx.put(collection, doc);
}
