import type { Fen } from '../../typings/money';
import type { LoanStatus, RepaymentMethod, TimelineEntry } from '../../typings/loan';
import type { StoredDoc } from '../storage/doc-store';
import type { StoredDecision } from '../risk/decide';

/** Collection of loan applications. */
export const APPLICATIONS = 'loanApplications';
/** Collection of the borrower documents (contract in server/borrowers/borrower-doc.ts). */
export const BORROWERS = 'borrowers';

/** E-signature evidence of the loan agreement consent (Electronic Signature Law art. 13). */
export interface ConsentEvidence {
  /** Agreement version the client displayed. */
  version: string;
  /** SHA-256 (hex) of the exact agreement text shown. */
  textSha256: string;
  /** The agreement text signed, filled with this loan's figures (absent on applications before 2026-02). */
  text?: string;
  /** Server time of the consent (product clock). */
  at: number;
  /** Client IP from the platform context, never from the event. */
  clientIp: string | null;
  /** The signer: the borrower's openid from the platform context. */
  signer: string;
}

/** An operator's first approval awaiting a second, different operator (maker-checker). */
export interface FirstApproval {
  operator: string;
  at: number;
  note: string;
  /** The maker's code from the decision catalogue (server/ops/reasons.ts), when given. */
  reasonCode?: string;
}

/** One loan application as stored. */
export interface ApplicationDoc extends StoredDoc {
  openid: string;
  status: LoanStatus;
  /** Incremented on every write; every change checks it. */
  version: number;
  amount: Fen;
  termMonths: number;
  method: RepaymentMethod;
  purpose: string;
  /** The borrower's own words about the purpose (checked against banned uses). */
  purposeDescription?: string;
  aprBps: number;
  /** SHA-256 of the device fingerprint: fraud signals without keeping the raw value. */
  deviceHash: string;
  /** Blind index of the borrower's ID number at the time of applying. */
  idHash: string;
  consent: ConsentEvidence;
  requestId: string;
  createdAt: number;
  updatedAt: number;
  timeline: TimelineEntry[];
  decision?: StoredDecision;
  /** Operator currently holding the review (claim). */
  claimedBy?: string | null;
  firstApproval?: FirstApproval | null;
  /** The borrower's reason when appealing. */
  appealReason?: string;
  /** The operator's decision, when a person decided. */
  manualDecision?: ManualDecision;
}

/** A person's decision on an application (operator notes stay internal). */
export interface ManualDecision {
  outcome: 'approved' | 'rejected';
  operator: string;
  /** The second operator when maker-checker applied. */
  checker?: string;
  at: number;
  note: string;
  /** The deciding person's code from the decision catalogue (server/ops/reasons.ts), when given. */
  reasonCode?: string;
}
