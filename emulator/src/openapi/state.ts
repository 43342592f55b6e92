import type Database from 'better-sqlite3';
import { DurableMap } from '../durable-map';

/** What an ID card image shows, as `ocr.idcard` reports it. */
export interface IdCardImage {
  /** `Front` (name, id, address …) or `Back` (validity). */
  side: 'Front' | 'Back';
  name?: string;
  id?: string;
  addr?: string;
  gender?: string;
  nationality?: string;
  /** Back side only, e.g. `20070105-20270105`. */
  validDate?: string;
}

/** A one-time `getPhoneNumber` button code. */
export interface PhoneCode {
  openid: string;
  phone: string;
  issuedAt: number;
  used: boolean;
}

/** One recorded openapi call or delivered message. */
export interface OutboxEntry {
  seq: number;
  at: number;
  /** `call` for every API call; `message` for a delivered subscribe message; `sms` for each SMS. */
  kind: 'call' | 'message' | 'sms';
  api: string;
  /** Function that made the call, when known. */
  caller?: string;
  /** 0 when the call succeeded; the WeChat errcode or platform error code otherwise. */
  errcode: number;
  /** The call's parameters (snake_case, as sent), or the message / SMS delivered. */
  payload: Record<string, unknown>;
}

/** Entries kept in the outbox; a long-running emulator forgets the oldest. */
export const OUTBOX_LIMIT = 10_000;

/**
 * State of the openapi fakes, kept in the data folder like the database (durable across restarts,
 * dropped by reset, like the cloud's test accounts). A value changed in place must be `set` again.
 */
export class OpenapiState {
  /** Remaining one-time subscribe authorisations per `openid\u0000templateId`. */
  readonly grants: Map<string, number>;
  readonly phoneCodes: Map<string, PhoneCode>;
  /** Registered ID-card images by sha256 of their bytes, and by their URL. */
  readonly imagesByHash: Map<string, IdCardImage>;
  readonly imagesByUrl: Map<string, IdCardImage>;
  /** Last time each openid was seen using the mini-program (client endpoints, calling functions). */
  readonly lastSeen: Map<string, number>;
  /** Recorded calls and messages, oldest first (kept in memory; every entry also stored by seq). */
  readonly outbox: OutboxEntry[];
  private readonly storedOutbox: Map<string, OutboxEntry>;
  private seq: number;

  constructor(db: Database.Database) {
    this.grants = new DurableMap(db, 'openapi.grants');
    this.phoneCodes = new DurableMap(db, 'openapi.phoneCodes');
    this.imagesByHash = new DurableMap(db, 'openapi.imagesByHash');
    this.imagesByUrl = new DurableMap(db, 'openapi.imagesByUrl');
    this.lastSeen = new DurableMap(db, 'openapi.lastSeen');
    this.storedOutbox = new DurableMap(db, 'openapi.outbox');
    this.outbox = [...this.storedOutbox.values()].sort((a, b) => a.seq - b.seq);
    this.seq = this.outbox.at(-1)?.seq ?? 0;
  }

  /** Appends an outbox entry (dropping the oldest beyond OUTBOX_LIMIT) and returns it. */
  record(entry: Omit<OutboxEntry, 'seq'>): OutboxEntry {
    const full = { seq: ++this.seq, ...entry };
    this.outbox.push(full);
    this.storedOutbox.set(String(full.seq), full);
    if (this.outbox.length > OUTBOX_LIMIT)
      for (const dropped of this.outbox.splice(0, this.outbox.length - OUTBOX_LIMIT))
        this.storedOutbox.delete(String(dropped.seq));
    return full;
  }

  /** Drops everything. */
  clear(): void {
    this.grants.clear();
    this.phoneCodes.clear();
    this.imagesByHash.clear();
    this.imagesByUrl.clear();
    this.lastSeen.clear();
    this.storedOutbox.clear();
    this.outbox.length = 0;
    this.seq = 0;
  }
}

/** Key of the subscribe-authorisation map. */
export function grantKey(openid: string, templateId: string): string {
  return `${openid}\u0000${templateId}`;
}
