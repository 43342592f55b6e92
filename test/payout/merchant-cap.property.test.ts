import fc from 'fast-check';
import { MemoryDocStore } from '../../server/storage/memory-store';
import { APPLICATIONS, BORROWERS } from '../../server/loan/application-doc';
import type { Clock } from '../../server/clock';
import { DocPayoutStore } from '../../server/payout/doc-payout-store';
import type { PayoutLimits } from '../../server/payout/limits';
import type { PayoutDoc } from '../../server/payout/payout-doc';
import type { CommitResult } from '../../server/payout/ports';
import type { Fen } from '../../typings/money';

/**
 * The merchant's daily cap over escrow shards, against a one-counter model: whatever the
 * interleaving of many borrowers' approvals, the totals never pass a cap by one fen, and no
 * transfer that fits (in the order the transactions took effect) is refused.
 */

const DAY = '20261201';

/** One approval: who, how much, under which loan id. */
interface Approval {
  borrower: number;
  amount: number;
  loanId: string;
}

/** A payout document with one bill in INTENT, as `firstIntent` stores it. */
function payout(a: Approval): PayoutDoc {
  const outBillNo = `WL${a.loanId}01`;
  return {
    _id: a.loanId,
    borrowerOpenid: `o-${a.borrower}`,
    amount: a.amount as Fen,
    status: 'in_progress',
    bills: [
      {
        outBillNo,
        attempt: 1,
        amount: a.amount as Fen,
        openid: `o-${a.borrower}`,
        request: {
          appid: 'wx',
          out_bill_no: outBillNo,
          transfer_scene_id: '1000',
          openid: `o-${a.borrower}`,
          transfer_amount: a.amount,
          transfer_remark: 'loan',
          notify_url: 'https://example.com/n',
          transfer_scene_report_infos: [],
        },
        phase: 'INTENT',
        createCalls: 0,
        cancelRequested: false,
        reservedDay: DAY,
        createdAt: 0,
        updatedAt: 0,
        history: [],
      },
    ],
    billNos: [outBillNo],
    open: true,
    version: 1,
    createdAt: 0,
    updatedAt: 0,
  };
}

const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);

test('random interleavings of approvals never pass the merchant cap and never refuse a fit', async () => {
  console.log(`fast-check seed ${seed} (rerun with FC_SEED=${seed})`);
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.record({
        merchantCap: fc.integer({ min: 1, max: 60_000 }),
        borrowerCap: fc.integer({ min: 1, max: 30_000 }),
        calls: fc.integer({ min: 1, max: 40 }),
      }),
      fc.array(
        fc.record({ borrower: fc.integer({ min: 0, max: 11 }), amount: fc.integer({ min: 1, max: 12_000 }) }),
        {
          minLength: 1,
          maxLength: 40,
        },
      ),
      async (s, caps, drawn) => {
        const limits: PayoutLimits = {
          minAmountFen: 1 as Fen,
          perTransferCapFen: 1_000_000 as Fen,
          perBorrowerDailyCapFen: caps.borrowerCap as Fen,
          perMerchantDailyCapFen: caps.merchantCap as Fen,
          dailyCallCount: caps.calls,
        };
        const docs = new MemoryDocStore();
        const store = new DocPayoutStore(docs, { now: () => 0 } as Clock);
        const approvals = drawn.map((a, i) => ({ ...a, loanId: `L${i}` }));
        // The approved applications and the borrowers the money gate reads (neither frozen nor
        // blacklisted); a borrower's day total lives on its document.
        for (const a of approvals) {
          docs
            .raw(APPLICATIONS)
            .set(a.loanId, { _id: a.loanId, openid: `o-${a.borrower}`, status: 'approved' });
          docs.raw(BORROWERS).set(`o-${a.borrower}`, { _id: `o-${a.borrower}`, frozen: false, version: 1 });
        }
        // The order in which commits took effect (memory transactions run one at a time).
        const effect: Array<{ a: Approval; result: CommitResult }> = [];
        const runs = approvals.map(async (a) => {
          await s.schedule(Promise.resolve(a.loanId));
          const next = payout(a);
          const result = await store.commit({
            expectedVersion: null,
            next,
            reserve: {
              day: DAY,
              key: next.billNos[0] ?? '',
              openid: next.borrowerOpenid,
              amount: a.amount as Fen,
              limits,
            },
            events: [],
            vouchers: [],
          });
          effect.push({ a, result });
        });
        await s.waitAll();
        await Promise.all(runs);
        // The model: one counter for the merchant, one per borrower, applied in effect order.
        let total = 0;
        let calls = 0;
        const perBorrower = new Map<number, number>();
        for (const { a, result } of effect) {
          const mine = perBorrower.get(a.borrower) ?? 0;
          const fitsAll =
            mine + a.amount <= caps.borrowerCap &&
            total + a.amount <= caps.merchantCap &&
            calls + 1 <= caps.calls;
          expect({ loan: a.loanId, kind: result.kind }).toEqual({
            loan: a.loanId,
            kind: fitsAll ? 'committed' : 'refused',
          });
          if (fitsAll) {
            total += a.amount;
            calls += 1;
            perBorrower.set(a.borrower, mine + a.amount);
          }
        }
        expect(total).toBeLessThanOrEqual(caps.merchantCap);
      },
    ),
    { seed, numRuns: 150 },
  );
});
