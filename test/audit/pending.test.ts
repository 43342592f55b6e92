import { appendAudit, AUDIT_COLLECTION, pendingAuditFields } from '../../server/audit/audit-log';
import { auditRecordId, type AuditEntry, type AuditRecord } from '../../server/audit/chain';
import { pendingAuditRecords } from '../../server/audit/pending';
import { sealAudit } from '../../server/audit/seal';
import { verifyAudit } from '../../server/audit/verify';
import { AUDIT_PENDING_FIELD, type StoredDoc } from '../../server/storage/doc-store';
import { MemoryDocStore } from '../../server/storage/memory-store';

/**
 * Audit records of a change written without a transaction wait, chained and keyed, in their
 * subject's own document: verified like logged records, and moved to the log by the subject's next
 * audited transaction.
 */

const PAYOUTS = 'payouts';
const entry = (n: number): AuditEntry => ({
  at: 1_700_000_000_000 + n,
  actor: 'system:create',
  actorType: 'system',
  event: `payout.bill.step${n}`,
  subject: 'payout:p1',
  outcome: 'success',
  details: { loanId: 'p1', n },
});

/** A payout document whose chain has one logged record, then `waiting` records left by updates alone. */
async function payoutWithWaiting(waiting: number): Promise<MemoryDocStore> {
  const store = new MemoryDocStore();
  await store.transact(async (tx) => {
    await tx.insert(PAYOUTS, { _id: 'p1', version: 1 });
    await appendAudit(tx, entry(1));
  });
  for (let n = 2; n < 2 + waiting; n++) {
    const doc = store.raw(PAYOUTS).get('p1') as StoredDoc;
    const fields = pendingAuditFields(doc, PAYOUTS, [entry(n)]);
    const version = doc.version as number;
    expect(
      await store.updateWhere(PAYOUTS, { _id: 'p1', version }, { ...fields, version: version + 1 }),
    ).toBe(1);
  }
  return store;
}

const waitingIn = (store: MemoryDocStore): AuditRecord[] =>
  pendingAuditRecords(store.raw(PAYOUTS).get('p1') as StoredDoc);

describe('audit records waiting in their subject’s document', () => {
  it('chain after the logged ones and verify with them (records, head and seal)', async () => {
    const store = await payoutWithWaiting(2);
    expect(store.raw(AUDIT_COLLECTION).size).toBe(1);
    expect(waitingIn(store).map((r) => r.seq)).toEqual([2, 3]);
    expect(await sealAudit(store, 1_700_000_000_100)).toEqual({ sealed: 1 });
    expect(await verifyAudit(store)).toEqual({ ok: true, chains: 1, records: 3, seals: 1, refusals: 0 });
  });

  it('an edited waiting record, or one removed, is reported as the broken link', async () => {
    const edited = await payoutWithWaiting(2);
    const doc = edited.raw(PAYOUTS).get('p1') as StoredDoc;
    const [first, second] = waitingIn(edited);
    if (!first || !second) throw new Error('two records expected');
    doc[AUDIT_PENDING_FIELD] = [
      { ...first, entry: { ...first.entry, details: { loanId: 'p1', n: 99 } } },
      second,
    ];
    expect(await verifyAudit(edited)).toMatchObject({
      ok: false,
      chain: 'payout:p1',
      seq: 2,
      reason: 'hash_mismatch',
    });

    const removed = await payoutWithWaiting(2);
    const rest = removed.raw(PAYOUTS).get('p1') as StoredDoc;
    rest[AUDIT_PENDING_FIELD] = [first];
    expect(await verifyAudit(removed)).toMatchObject({
      ok: false,
      chain: 'payout:p1',
      reason: 'head_mismatch',
    });
  });

  it('the next audited transaction moves them to the log, and a stale copy written after cannot bring them back', async () => {
    const store = await payoutWithWaiting(2);
    const stale = { ...(store.raw(PAYOUTS).get('p1') as StoredDoc) };
    await store.transact(async (tx) => {
      const doc = (await tx.get<StoredDoc>(PAYOUTS, 'p1')) as StoredDoc;
      await tx.put(PAYOUTS, { ...doc, version: 4 });
      await appendAudit(tx, entry(4));
      // Built from the copy read before the append: the head and the moved records stay as appended.
      await tx.put(PAYOUTS, { ...stale, version: 4 });
    });
    expect([...store.raw(AUDIT_COLLECTION).keys()].sort()).toEqual(
      [1, 2, 3, 4].map((seq) => auditRecordId('payout:p1', seq)),
    );
    expect(store.raw(PAYOUTS).get('p1')).not.toHaveProperty(AUDIT_PENDING_FIELD);
    expect(store.raw(PAYOUTS).get('p1')).toMatchObject({ version: 4, auditHead: { seq: 4 } });
    expect(await verifyAudit(store)).toMatchObject({ ok: true, records: 4 });
  });

  it('refuses entries of another subject’s chain', async () => {
    const store = await payoutWithWaiting(0);
    const doc = store.raw(PAYOUTS).get('p1') as StoredDoc;
    expect(() => pendingAuditFields(doc, PAYOUTS, [{ ...entry(2), subject: 'payout:p2' }])).toThrow(
      'does not live in payouts/p1',
    );
  });
});
