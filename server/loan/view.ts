import type { ApplicationView } from '../../typings/loan';
import { explainDecision } from '../risk/explain';
import type { ApplicationDoc } from './application-doc';
import { BORROWER_CANCELLABLE, canTransition } from './transitions';

/** The borrower's view: no inputs, scores, rules or operator ids. */
export function applicationView(app: ApplicationDoc): ApplicationView {
  const shown =
    app.status === 'approved' ||
    app.status === 'rejected' ||
    app.status === 'manual_review' ||
    app.status === 'appeal_denied';
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
  };
}
