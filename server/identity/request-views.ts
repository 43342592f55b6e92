import type { CorrectionRequestView, DeletionRequestView } from '../../typings/identity';
import type { IdentityRequestDoc } from './records';

/** The deletion request as shown. */
export function deletionView(doc: IdentityRequestDoc): DeletionRequestView {
  return {
    state: doc.state,
    requestedAt: doc.requestedAt,
    updatedAt: doc.updatedAt,
    ...(doc.retainedUntil ? { retainedUntil: doc.retainedUntil } : {}),
  };
}

/** A correction request as shown: never the submitted text. */
export function correctionView(doc: IdentityRequestDoc): CorrectionRequestView {
  return {
    field: doc.field ?? 'name',
    state: doc.state,
    requestedAt: doc.requestedAt,
    ...(doc.outcome ? { outcome: doc.outcome } : {}),
  };
}
