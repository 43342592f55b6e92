import { createHash } from 'node:crypto';
import type { StoredDoc, TxDocs } from '../storage/doc-store';

/** Per-caller sign-in attempts: one document per caller address, so nobody else is slowed. */
export const SIGN_IN_THROTTLE = 'signInThrottle';
/** At most this many attempts per caller in one window. */
export const SIGN_IN_LIMIT = 10;
/** The window. */
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

/** One caller's window. */
interface ThrottleDoc extends StoredDoc {
  windowStart: number;
  attempts: number;
}

/** The document id of a caller (a hash: addresses are not kept). */
export function throttleIdOf(callerKey: string): string {
  return createHash('sha256').update(`sign-in:${callerKey}`).digest('hex').slice(0, 40);
}

/**
 * Counts one attempt in the caller's window; answers whether it is allowed and whether it is the
 * first refused one (only that one is audited, so a flood does not flood the audit log).
 */
export async function countAttempt(
  tx: TxDocs,
  callerKey: string,
  now: number,
): Promise<{ allowed: boolean; firstRefusal: boolean; attempts: number }> {
  const id = throttleIdOf(callerKey);
  const doc = await tx.get<ThrottleDoc>(SIGN_IN_THROTTLE, id);
  const fresh = !doc || now - doc.windowStart >= SIGN_IN_WINDOW_MS;
  const attempts = fresh ? 1 : doc.attempts + 1;
  await tx.put(SIGN_IN_THROTTLE, { _id: id, windowStart: fresh ? now : doc.windowStart, attempts });
  return { allowed: attempts <= SIGN_IN_LIMIT, firstRefusal: attempts === SIGN_IN_LIMIT + 1, attempts };
}
