import type { AuditKeys } from './audit-keys';
import { chainLinkHash } from './hash-chain';

/** Who acted: a borrower (openid), an operator (openid), or the system itself. */
export type ActorType = 'borrower' | 'operator' | 'system';

/** One audited event (MLPS level 3: time, actor, event type, outcome). Never personal data. */
export interface AuditEntry {
  /** Epoch milliseconds from the product clock. */
  at: number;
  /** Openid, operator openid, or a system component name. */
  actor: string;
  actorType: ActorType;
  /** Dotted event type, e.g. `application.transition`. */
  event: string;
  /** What was acted on, e.g. `application:<id>`. */
  subject: string;
  outcome: 'success' | 'refused';
  /** Non-personal details: statuses, codes, amounts, reasons. */
  details: Record<string, unknown>;
}

/** A stored link of one subject's chain. */
export interface AuditRecord {
  _id: string;
  /** The chain this link belongs to (see `chainOf`). */
  chain: string;
  /** 1-based position in its chain. */
  seq: number;
  prevHash: string;
  hash: string;
  /** Id of the HMAC key the link was made with. */
  kid: string;
  entry: AuditEntry;
}

/**
 * The chain an entry belongs to: its subject (`application:<id>`, `payout:<id>`, `borrower:<openid>`);
 * a subject without an id of its own (e.g. `ops`) is qualified by the actor, so no chain is shared
 * by unrelated callers.
 */
export function chainOf(entry: Pick<AuditEntry, 'subject' | 'actor'>): string {
  // A wildcard subject (`payout:*`) would be one chain every caller writes: a hot document.
  if (entry.subject.endsWith(':*')) throw new Error(`audit subject ${entry.subject} names no single subject`);
  return entry.subject.includes(':') ? entry.subject : `${entry.subject}:${entry.actor}`;
}

/** The document id of a chain's `seq`-th record: zero-padded so ids sort like numbers. */
export function auditRecordId(chain: string, seq: number): string {
  return `${chain}#${String(seq).padStart(10, '0')}`;
}

/** HMAC of one link: binds chain, position, previous hash and entry under key `kid` (the shared link format). */
export function auditLinkHash(
  keys: AuditKeys,
  kid: string,
  link: { chain: string; seq: number; prevHash: string; entry: AuditEntry },
): string | undefined {
  return chainLinkHash(keys, kid, link);
}

/** Builds the record that follows `head` in `chain`, under the active key. */
export function nextAuditRecord(
  keys: AuditKeys,
  chain: string,
  head: { seq: number; hash: string },
  entry: AuditEntry,
): AuditRecord {
  const seq = head.seq + 1;
  const link = { chain, seq, prevHash: head.hash, entry };
  const hash = auditLinkHash(keys, keys.activeKid, link) ?? '';
  return { _id: auditRecordId(chain, seq), ...link, hash, kid: keys.activeKid };
}
