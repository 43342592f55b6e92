import { DocPayoutStore } from '../../server/payout/doc-payout-store';
import { startPayout } from '../../server/payout/engine';
import type { PayoutDeps } from '../../server/payout/ports';
import { payoutProgress } from '../../server/payout/progress';
import { refreshPayout } from '../../server/payout/settle';
import type { DocFilter, DocStore, FindOptions, StoredDoc, TxDocs } from '../../server/storage/doc-store';
import {
  confirmReceipt,
  fault,
  payoutOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

/** The real store, with the documents each transaction wrote recorded (`collection/_id`). */
class RecordingStore implements DocStore {
  readonly writes: string[][] = [];
  constructor(private readonly inner: DocStore) {}
  transact<R>(work: (tx: TxDocs) => Promise<R>): Promise<R> {
    return this.inner.transact((tx) => {
      const written: string[] = [];
      this.writes.push(written);
      return work({
        get: (c, id) => tx.get(c, id),
        put: (c, doc) => {
          written.push(`${c}/${doc._id}`);
          return tx.put(c, doc);
        },
        insert: (c, doc) => {
          written.push(`${c}/${doc._id}`);
          return tx.insert(c, doc);
        },
      });
    });
  }
  get<T extends StoredDoc>(collection: string, id: string): Promise<T | undefined> {
    return this.inner.get<T>(collection, id);
  }
  find<T extends StoredDoc>(collection: string, filter: DocFilter, options: FindOptions): Promise<T[]> {
    return this.inner.find<T>(collection, filter, options);
  }
  findAny<T extends StoredDoc>(collection: string, filters: DocFilter[], options: FindOptions): Promise<T[]> {
    return this.inner.findAny<T>(collection, filters, options);
  }
  updateWhere(collection: string, filter: DocFilter, fields: Record<string, unknown>): Promise<number> {
    return this.inner.updateWhere(collection, filter, fields);
  }
}

describe('booking a disbursement writes only that loan’s documents (no global ledger or audit head)', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('two loans’ SUCCESS commits (payout, voucher, ledger head, loan, repayment plan, audit, outbox) share no document', async () => {
    const recorded: string[][] = [];
    for (const amount of [25_000, 26_000]) {
      const loan = await seedApprovedLoan(h, amount);
      await startPayout(h.deps, loan, { id: 'system:test', type: 'system' });
      let doc = await payoutOf(h, loan.loanId);
      for (let i = 0; i < 4; i++) {
        await h.steps(1);
        doc = (await refreshPayout(h.deps, loan.loanId)) ?? doc;
        if (payoutProgress(doc, loan.openid, h.deps.profile, h.deps.settings, h.now()).confirmation) break;
      }
      const confirmation = payoutProgress(
        doc,
        loan.openid,
        h.deps.profile,
        h.deps.settings,
        h.now(),
      ).confirmation;
      if (!confirmation) throw new Error('no confirmation offered');
      // The next poll books the loan's awaiting_confirmation step (left pending when it was shown).
      await refreshPayout(h.deps, loan.loanId);
      // WeChat's notification is dropped, so the SUCCESS is booked by this process's recorded store.
      fault(h, { target: 'notification', kind: 'drop' });
      expect((await confirmReceipt(h, confirmation)).status).toBe(200);
      await h.steps(3);
      const store = new RecordingStore(h.docs);
      const deps: PayoutDeps = { ...h.deps, store: new DocPayoutStore(store, { now: h.now }) };
      await h.advance(6_000);
      const paid = await refreshPayout(deps, loan.loanId);
      expect(paid?.status).toBe('succeeded');
      // The progress query's per-bill rate-limit slot, then the SUCCESS commit itself.
      const committed = store.writes.filter((w) => w.includes(`payouts/${loan.loanId}`));
      expect(committed).toHaveLength(1);
      const writes = store.writes.flat();
      expect(writes).toEqual(
        expect.arrayContaining([
          `payouts/${loan.loanId}`,
          `ledgerVouchers/disbursement:${paid?.billNos[0]}`,
          `ledgerHeads/ledger:${loan.loanId}`,
        ]),
      );
      recorded.push(writes);
    }
    const [first, second] = recorded as [string[], string[]];
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    expect([...first, ...second].filter((id) => id.startsWith('ledgerHead/'))).toEqual([]);
  });
});
