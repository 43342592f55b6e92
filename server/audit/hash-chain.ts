import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './canonical';

/** The hash before the first link of any chain (audit chains, seals, ledger). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The one link format of every chain: `h_n = MAC(h_{n-1} ‖ "\n" ‖ canonical payload)`, HMAC-SHA256
 * under `key` when given (audit: a forger without the key cannot recompute it), plain SHA-256 otherwise.
 */
export function linkHash(prevHash: string, payload: unknown, key?: Buffer): string {
  const mac = key ? createHmac('sha256', key) : createHash('sha256');
  return mac.update(prevHash).update('\n').update(canonicalJson(payload)).digest('hex');
}
