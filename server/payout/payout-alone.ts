import { pendingAuditFields } from '../audit/audit-log';
import { AUDIT_HEAD_FIELD, type DocFilter, type StoredDoc } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import { payoutAuditEntry } from './loan-hooks';
import type { PayoutDoc } from './payout-doc';
import type { PayoutCommit } from './ports';

/** One conditional update that writes a payout change alone, and the payout as it then stands. */
export interface PayoutAloneUpdate {
  filter: DocFilter;
  fields: Record<string, unknown>;
  doc: PayoutDoc;
}

/**
 * The update writing `change` without a transaction, when it may: marked `alone`, an update of a
 * stored payout that moves no counter, voucher or loan status and removes no field. It applies
 * only to the version and audit head it was decided on (the records of its events are chained
 * after that head and wait in the document), so a lost race changes nothing. Undefined otherwise:
 * the change then needs its transaction.
 */
export function payoutAloneUpdate(change: PayoutCommit, at: number): PayoutAloneUpdate | undefined {
  const { next, expectedVersion } = change;
  if (!change.alone || expectedVersion === null) return undefined;
  if (change.reserve || change.release || change.loanStatus || change.vouchers.length > 0) return undefined;
  const head = (next as PayoutDoc & StoredDoc)[AUDIT_HEAD_FIELD] as { seq: number } | undefined;
  // Without the head in hand the records cannot be chained; an `undefined` field must be removed.
  if (!head || Object.values(next).some((value) => value === undefined)) return undefined;
  const audit =
    change.events.length > 0
      ? pendingAuditFields(
          next as PayoutDoc & StoredDoc,
          C.payouts,
          change.events.map((event) => payoutAuditEntry(event, at)),
        )
      : {};
  const { _id, ...fields } = { ...next, ...audit };
  return {
    filter: { _id, version: expectedVersion, [`${AUDIT_HEAD_FIELD}.seq`]: head.seq },
    fields,
    doc: { ...next, ...audit },
  };
}
