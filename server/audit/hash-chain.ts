import { createHash, createHmac } from 'node:crypto';
import type { AuditKeys } from './audit-keys';
import { canonicalJson } from './canonical';

/** The hash before the first link of any chain (audit chains, ledger chains, seals). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The one link format of every chain: `h_n = MAC(h_{n-1} ‖ "\n" ‖ canonical payload)`, HMAC-SHA256
 * under `key` when given (a forger without the key cannot recompute it), plain SHA-256 otherwise.
 */
export function linkHash(prevHash: string, payload: unknown, key?: Buffer): string {
  const mac = key ? createHmac('sha256', key) : createHash('sha256');
  return mac.update(prevHash).update('\n').update(canonicalJson(payload)).digest('hex');
}

/** Where a link sits: its chain, its 1-based position and the hash it follows. */
export interface ChainPosition {
  chain: string;
  seq: number;
  prevHash: string;
}

/**
 * The keyed MAC of one link of a per-subject chain (audit record or ledger voucher): binds chain,
 * position, previous hash and entry under key `kid`; undefined when the environment no longer knows
 * that key.
 */
export function chainLinkHash(
  keys: AuditKeys,
  kid: string,
  link: ChainPosition & { entry: unknown },
): string | undefined {
  const key = keys.keys.get(kid);
  return key
    ? linkHash(link.prevHash, { chain: link.chain, seq: link.seq, entry: link.entry }, key)
    : undefined;
}
