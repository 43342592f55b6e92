import { BORROWERS } from '../../server/loan/application-doc';
import { releaseBorrowerDay, reserveBorrowerDay } from '../../server/payout/borrower-day';
import type { PayoutLimits } from '../../server/payout/limits';
import type { StoredDoc } from '../../server/storage/doc-store';
import { MemoryDocStore } from '../../server/storage/memory-store';
import type { Fen } from '../../typings/money';

/** The per-borrower day total kept on the borrower document the money gate reads. */

const LIMITS: PayoutLimits = {
  minAmountFen: 10 as Fen,
  perTransferCapFen: 50_000 as Fen,
  perBorrowerDailyCapFen: 80_000 as Fen,
  perMerchantDailyCapFen: 10_000_000 as Fen,
  dailyCallCount: 1000,
};
const AT = 1_764_600_000_000;

function storeWithBorrower(): MemoryDocStore {
  const store = new MemoryDocStore();
  store.raw(BORROWERS).set('o1', { _id: 'o1', frozen: false, activeApplicationId: 'L1', version: 3 });
  return store;
}

/** Reserves `amount` on `day` and writes what the reservation answers; returns the answer. */
async function reserve(store: MemoryDocStore, day: string, amount: number) {
  return store.transact(async (tx) => {
    const r = { day, key: `WL${day}${amount}`, openid: 'o1', amount: amount as Fen, limits: LIMITS };
    const out = await reserveBorrowerDay(tx, r, AT);
    if ('doc' in out) await tx.put(out.collection, out.doc);
    return out;
  });
}

const borrower = (store: MemoryDocStore): StoredDoc => store.raw(BORROWERS).get('o1') as StoredDoc;

describe('per-borrower day total on the borrower document', () => {
  test('counts every reservation of the day, refuses the one over the cap, and starts again the next day', async () => {
    const store = storeWithBorrower();
    await reserve(store, '20261202', 50_000);
    expect(borrower(store)).toMatchObject({ payoutDay: { day: '20261202', amount: 50_000 }, version: 4 });
    expect(await reserve(store, '20261202', 30_001)).toMatchObject({
      code: 'PAYOUT_OVER_BORROWER_DAILY_CAP',
    });
    expect(borrower(store)).toMatchObject({ payoutDay: { amount: 50_000 }, version: 4 });
    await reserve(store, '20261202', 30_000);
    expect(borrower(store)).toMatchObject({ payoutDay: { day: '20261202', amount: 80_000 } });
    await reserve(store, '20261203', 50_000);
    expect(borrower(store)).toMatchObject({ payoutDay: { day: '20261203', amount: 50_000 } });
    // A reservation dated before the kept day counts into the kept day (never under-counted).
    expect(await reserve(store, '20261202', 30_001)).toMatchObject({
      code: 'PAYOUT_OVER_BORROWER_DAILY_CAP',
    });
  });

  test('a confirmed-unpaid bill gives its amount back to its own day only', async () => {
    const store = storeWithBorrower();
    await reserve(store, '20261202', 50_000);
    const release = (day: string) =>
      store.transact(async (tx) => {
        for (const w of await releaseBorrowerDay(tx, { day, openid: 'o1', amount: 20_000 }, AT))
          await tx.put(w.collection, w.doc);
      });
    await release('20261201');
    expect(borrower(store)).toMatchObject({ payoutDay: { day: '20261202', amount: 50_000 } });
    await release('20261202');
    expect(borrower(store)).toMatchObject({ payoutDay: { day: '20261202', amount: 30_000 } });
  });

  test('a payee without a borrower document is refused (nothing to gate or count against)', async () => {
    const store = new MemoryDocStore();
    expect(await reserve(store, '20261202', 1_000)).toMatchObject({ code: 'BORROWER_NOT_FOUND' });
    expect(store.raw(BORROWERS).size).toBe(0);
  });
});
