import { createHmac } from 'node:crypto';
import type { PiiKeys } from './key-config';

/** What a blind index is computed over; each kind hashes in its own domain so equal strings never collide across kinds. */
export type BlindIndexKind = 'idNumber' | 'phone' | 'photoDir';

/**
 * Keyed HMAC-SHA256 of an already-normalised value, hex. Equal inputs give equal hashes (duplicate
 * and blacklist lookups) while the hash reveals nothing without the key, unlike a plain hash of an
 * 18-digit ID number, which can be brute-forced.
 */
export function blindIndexOf(keys: PiiKeys, kind: BlindIndexKind, normalisedValue: string): string {
  return createHmac('sha256', keys.blindIndexKey)
    .update(`wxlend-bi:v1:${kind}\u0000${normalisedValue}`, 'utf8')
    .digest('hex');
}
