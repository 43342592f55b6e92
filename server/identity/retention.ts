import { AML_RETENTION_YEARS } from '../../shared/personal-rights';
import { chinaDateOf, daysInMonth, formatDate } from '../../shared/china-date';
import type { BorrowerIdentity, RetainedIdentity } from '../borrowers/borrower-doc';

/** The last day (China, `YYYY-MM-DD`) records of an account closed at `closedAt` are kept (29 Feb → 28 Feb). */
export function retentionEndOf(closedAt: number): string {
  const closed = chinaDateOf(closedAt);
  const year = closed.year + AML_RETENTION_YEARS;
  return formatDate({
    year,
    month: closed.month,
    day: Math.min(closed.day, daysInMonth(year, closed.month)),
  });
}

/** What of a verified identity is kept, retention-only, once the account closes: envelopes and the blind index. */
export function retainedIdentityOf(identity: BorrowerIdentity, closedAt: number): RetainedIdentity {
  return {
    retentionOnly: true,
    retainedUntil: retentionEndOf(closedAt),
    encrypted: identity.encrypted,
    idHash: identity.idHash,
    documentType: identity.documentType,
    verifier: identity.verifier,
    verifiedAt: identity.verifiedAt,
    closedAt,
  };
}
