import { createHash, randomBytes } from 'node:crypto';
import type { StoredDoc, TxDocs } from '../storage/doc-store';
import type { DocStore } from '../storage/doc-store';

/** Collection of workbench sessions: `_id` = SHA-256 of the token (the token itself is never stored). */
export const SESSIONS = 'operatorSessions';
/** The request header that carries the session token (no cookie, so no CSRF). */
export const SESSION_HEADER = 'x-wxlend-session';
/** A session ends 8 hours after sign-in at the latest. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const TOKEN_PATTERN = /^wbs_[A-Za-z0-9_-]{43}$/;

/** One session. */
export interface SessionDoc extends StoredDoc {
  operatorId: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** `signOut`, `deactivated`, `second_factor_reset`. */
  revokedBecause: string | null;
}

/** The stored id of a token. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session inside the sign-in transaction; answers the token (shown to the caller only). */
export async function createSession(
  tx: TxDocs,
  operatorId: string,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = `wbs_${randomBytes(32).toString('base64url')}`;
  const doc: SessionDoc = {
    _id: sessionIdOf(token),
    operatorId,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
    revokedAt: null,
    revokedBecause: null,
  };
  await tx.put(SESSIONS, doc);
  return { token, expiresAt: doc.expiresAt };
}

/** Why a token does not open a session, or the live session. */
export type SessionLookup =
  | { ok: true; session: SessionDoc }
  | { ok: false; code: 'SESSION_REQUIRED' | 'SESSION_INVALID' | 'SESSION_EXPIRED' | 'SESSION_REVOKED' };

/** Looks a token up: malformed or unknown tokens never reach a stored session. */
export async function lookupSession(
  store: DocStore,
  token: string | undefined,
  now: number,
): Promise<SessionLookup> {
  if (!token) return { ok: false, code: 'SESSION_REQUIRED' };
  if (!TOKEN_PATTERN.test(token)) return { ok: false, code: 'SESSION_INVALID' };
  const session = await store.get<SessionDoc>(SESSIONS, sessionIdOf(token));
  if (!session) return { ok: false, code: 'SESSION_INVALID' };
  if (session.revokedAt !== null) return { ok: false, code: 'SESSION_REVOKED' };
  if (now >= session.expiresAt) return { ok: false, code: 'SESSION_EXPIRED' };
  return { ok: true, session };
}

/** Revokes every live session of an operator (deactivation, second-factor reset); answers how many. */
export async function revokeSessionsOf(
  store: DocStore,
  operatorId: string,
  now: number,
  because: string,
): Promise<number> {
  return store.updateWhere(
    SESSIONS,
    { operatorId, revokedAt: null },
    { revokedAt: now, revokedBecause: because },
  );
}
