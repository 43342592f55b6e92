import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';

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

/** A stored link of the chain. */
export interface AuditRecord {
  _id: string;
  /** 1-based position in the chain. */
  seq: number;
  prevHash: string;
  hash: string;
  entry: AuditEntry;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** `h_n = SHA-256(h_{n-1} ‖ canonical entry)`. */
export function chainHash(prevHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

/** The document id of the `seq`-th record: zero-padded so ids sort like numbers. */
export function auditRecordId(seq: number): string {
  return `a${String(seq).padStart(12, '0')}`;
}

/** Outcome of a chain check. */
export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | {
      ok: false;
      brokenAt: number;
      reason: 'hash_mismatch' | 'prev_mismatch' | 'gap' | 'head_mismatch';
      count: number;
    };

/** Incremental verifier: feed records in seq order, then `finish` against the stored head. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prev = GENESIS_HASH;
  private broken: ChainVerdict | undefined;

  /** Checks the next record; remembers only the first broken link. */
  feed(record: AuditRecord): void {
    if (this.broken) return;
    const fail = (reason: 'hash_mismatch' | 'prev_mismatch' | 'gap'): void => {
      this.broken = { ok: false, brokenAt: this.expectedSeq, reason, count: this.expectedSeq - 1 };
    };
    if (record.seq !== this.expectedSeq || record._id !== auditRecordId(record.seq)) return fail('gap');
    if (record.prevHash !== this.prev) return fail('prev_mismatch');
    if (chainHash(this.prev, record.entry) !== record.hash) return fail('hash_mismatch');
    this.prev = record.hash;
    this.expectedSeq += 1;
  }

  /** The verdict, comparing the end of the chain with the head document (catches a removed tail). */
  finish(head: { seq: number; hash: string } | undefined): ChainVerdict {
    if (this.broken) return this.broken;
    const count = this.expectedSeq - 1;
    const headSeq = head?.seq ?? 0;
    const headHash = head?.hash ?? GENESIS_HASH;
    if (headSeq !== count || headHash !== this.prev) {
      return { ok: false, brokenAt: Math.min(headSeq, count) + 1, reason: 'head_mismatch', count };
    }
    return { ok: true, count, headHash: this.prev };
  }
}
