import { createHash } from 'node:crypto';
import type { StoredDoc } from '../storage/doc-store';
import type { CorrectableField, CorrectionOutcome, RightsRequestState } from '../../typings/identity';

/** Collections the identity domain owns (declared in cloudbase/collections.json). */
export const IDENTITY_COLLECTIONS = {
  /** Shared with the loan domain; the identity domain creates the document and owns `identity`. */
  borrowers: 'borrowers',
  /** `_id` = blind index of the ID number: at most one owner per ID number, by construction. */
  index: 'identityIndex',
  /** `_id` = `<openid>:<noticeVersion>`: separate consents to process sensitive information. */
  consents: 'identityConsents',
  /** `_id` = `<openid>:<YYYY-MM-DD>` (China date): verification attempts counted per day. */
  attempts: 'identityAttempts',
  /** `_id` = `<idHash>:<openid>`: an operator allowed this openid to share an ID number. */
  overrides: 'identityOverrides',
  /** `_id` = SHA-256 of the verifyId: face-verification sessions started by getVerifyId. */
  faceSessions: 'identityFaceSessions',
  /** `_id` = `<openid>:deletion` or `<openid>:correction:<field>`: the borrower's rights requests. */
  requests: 'identityRequests',
} as const;

/** A face-verification session: what queryVerifyInfo needs besides the claim (no personal data). */
export interface IdentityFaceSessionDoc extends StoredDoc {
  /** Who started it; only they may finish it. */
  openid: string;
  /** Our getVerifyId `out_seq_no` (unique per AppID). */
  outSeqNo: string;
  /** getVerifyId's expiry: the session cannot prove anything afterwards. */
  expiresAt: number;
  createdAt: number;
}

/** Owner of an ID number. */
export interface IdentityIndexDoc extends StoredDoc {
  /** The first openid verified with this ID number. */
  /** Null once its owner's account was closed (the ID number may be verified again by a new account). */
  openid: string | null;
  /** Further openids an operator allowed (identity_overrides), in the order they verified. */
  sharedWith: string[];
  createdAt: number;
  updatedAt: number;
}

/** One recorded consent: the evidence Electronic Signature Law art. 13 asks for. */
export interface IdentityConsentDoc extends StoredDoc {
  openid: string;
  noticeVersion: string;
  /** SHA-256 (hex) of the exact notice text shown. */
  noticeHash: string;
  consentedAt: number;
  /** Client IP from the platform context (not from the event). */
  clientIp: string | null;
  /** When the borrower withdrew this consent; absent or null while it is in force. */
  withdrawnAt?: number | null;
  /** Earlier periods of this consent (given, then withdrawn), oldest first, when it was given again. */
  history?: Array<{ consentedAt: number; withdrawnAt: number }>;
}

/** A personal-information rights request (PIPL arts. 46, 47): account deletion or a correction. */
export interface IdentityRequestDoc extends StoredDoc {
  /** How an operator answered a correction (absent until then). */
  outcome?: CorrectionOutcome;
  /** Completed deletions: the day the retained records are kept until. */
  retainedUntil?: string;
  /** The operator who answered (openid or `console`). */
  resolvedBy?: string;
  /** The operator's note about the evidence (corrections; never shown to the borrower). */
  note?: string;
  openid: string;
  kind: 'deletion' | 'correction';
  /** The field to correct (corrections only). */
  field?: CorrectableField;
  /** What the borrower says is right, encrypted (corrections only). */
  detail?: unknown;
  state: RightsRequestState;
  requestedAt: number;
  updatedAt: number;
}

/** Verification attempts of one openid on one China calendar day. */
export interface IdentityAttemptsDoc extends StoredDoc {
  openid: string;
  day: string;
  count: number;
  updatedAt: number;
}

/** An operator's decision letting `openid` verify with an ID number another openid already holds. */
export interface IdentityOverrideDoc extends StoredDoc {
  idHash: string;
  openid: string;
  operatorId: string;
  /** Why (shown to auditors); never personal data. */
  reason: string;
  createdAt: number;
}

/** Document id of a consent. */
export function consentId(openid: string, noticeVersion: string): string {
  return `${openid}:${noticeVersion}`;
}

/** Document id of a day's attempts. */
export function attemptsId(openid: string, day: string): string {
  return `${openid}:${day}`;
}

/** Document id of an override. */
export function overrideId(idHash: string, openid: string): string {
  return `${idHash}:${openid}`;
}

/** Document id of a face session: the verifyId is up to 256 characters, so it is hashed. */
export function faceSessionId(verifyId: string): string {
  return createHash('sha256').update(verifyId, 'utf8').digest('hex');
}

/** Document id of the borrower's account-deletion request (one per borrower). */
export function deletionRequestId(openid: string): string {
  return `${openid}:deletion`;
}

/** Document id of the borrower's correction request for one field (the latest replaces the earlier). */
export function correctionRequestId(openid: string, field: CorrectableField): string {
  return `${openid}:correction:${field}`;
}
