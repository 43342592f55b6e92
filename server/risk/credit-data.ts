import type { CreditProfile } from './inputs';

/** The borrower's recorded credit-inquiry authorisation (征信查询授权) the bureau request carries. */
export interface CreditInquiryConsent {
  version: string;
  /** SHA-256 (hex) of the exact authorisation text shown. */
  textSha256: string;
  at: number;
  /** Client IP from the platform context (not from the event). */
  clientIp: string | null;
}

/** Whom a credit file is asked for: the verified identity (encrypted at rest) and their authorisation. */
export interface CreditSubject {
  /** The borrower's OPENID (the encryption purpose of their personal data). */
  openid: string;
  /** Blind index of the ID number (in-memory sources key by it). */
  idHash: string;
  /** Encrypted name and ID number as the identity domain stores them. */
  encrypted: { name: unknown; idNumber: unknown };
  authorisation: CreditInquiryConsent;
}

/** Why no credit answer could be had (an outage: the application goes to manual review). */
export type CreditOutage = 'timeout' | 'down' | 'malformed' | 'refused' | 'circuit_open' | 'not_configured';

/** A credit source's answer: a file, no file (thin file), or unavailable with the cause. */
export type CreditLookup =
  | { status: 'found'; profile: CreditProfile }
  | { status: 'none' }
  | { status: 'unavailable'; cause: CreditOutage };

/** A pluggable credit-data provider (a credit bureau in production, chosen by configuration). */
export interface CreditDataSource {
  /** The subject's credit file; never rejects (failures answer `unavailable`). */
  lookup(subject: CreditSubject): Promise<CreditLookup>;
}

/** The source wired where no review runs (notify, ops): every lookup answers not configured. */
export const NO_CREDIT_SOURCE: CreditDataSource = {
  lookup: async () => ({ status: 'unavailable', cause: 'not_configured' }),
};
