import type { ApplicationView, LoanStatus } from '../../typings/loan';
import { explainDecision } from '../risk/explain';
import type { ApplicationDoc } from './application-doc';
import type { LoanProductConfig } from './config';
import { BORROWER_CANCELLABLE, canTransition } from './transitions';

const HOUR_MS = 3_600_000;

/** The review promises the view quotes from configuration. */
export type ReviewPromise = Pick<LoanProductConfig, 'manualReviewHours' | 'appealReviewHours'>;

/** Statuses in which a person decides, the status whose entry starts the clock, and the promise that applies. */
const WAITING_ON_PEOPLE: Partial<Record<LoanStatus, { since: LoanStatus; hours: keyof ReviewPromise }>> = {
  manual_review: { since: 'manual_review', hours: 'manualReviewHours' },
  awaiting_second_approval: { since: 'manual_review', hours: 'manualReviewHours' },
  appealed: { since: 'appealed', hours: 'appealReviewHours' },
};

/** When a person promised to have decided, for an application waiting on one; undefined otherwise. */
function expectedDecisionBy(app: ApplicationDoc, promise: ReviewPromise): number | undefined {
  const waiting = WAITING_ON_PEOPLE[app.status];
  if (!waiting) return undefined;
  const since =
    [...app.timeline].reverse().find((entry) => entry.status === waiting.since)?.at ?? app.updatedAt;
  return since + promise[waiting.hours] * HOUR_MS;
}

/** The borrower's view: no inputs, scores, rules or operator ids; their own appeal text kept. */
export function applicationView(app: ApplicationDoc, promise: ReviewPromise): ApplicationView {
  const shown =
    app.status === 'approved' ||
    app.status === 'rejected' ||
    app.status === 'manual_review' ||
    app.status === 'appealed' ||
    app.status === 'appeal_denied';
  const expectedBy = expectedDecisionBy(app, promise);
  return {
    id: app._id,
    status: app.status,
    amount: app.amount,
    termMonths: app.termMonths,
    method: app.method,
    purpose: app.purpose,
    aprBps: app.aprBps,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    timeline: app.timeline,
    ...(shown && app.decision ? { explanation: explainDecision(app.decision) } : {}),
    cancellable: BORROWER_CANCELLABLE.includes(app.status),
    appealable: canTransition(app.status, 'appealed'),
    ...(expectedBy !== undefined ? { expectedDecisionBy: expectedBy } : {}),
    ...(app.appealReason ? { appealReason: app.appealReason } : {}),
  };
}
