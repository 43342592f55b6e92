import type { StoredDoc } from '../../server/storage/doc-store';
import { REPAYMENT_COLLECTIONS as C } from '../../server/repayment/plan-doc';
import { verifyRepaymentLedger } from '../../server/repayment/reconcile';
import type { PayAnswer } from '../../typings/repayment';
import { chinaTime } from './fixtures';
import {
  callAs,
  disbursedLoan,
  orderOf,
  payAsBorrower,
  startRepaymentHarness,
  type RepaymentHarness,
} from './harness';

jest.setTimeout(120_000);

/** More applied orders than one page of the SDK (1,000) holds. */
const EARLIER_ORDERS = 1_000;

describe("verify checks every applied order of the book, not the first page's", () => {
  let h: RepaymentHarness;
  beforeAll(async () => {
    h = await startRepaymentHarness();
    await h.setClock(chinaTime('2026-03-01T10:00:00'));
  });
  afterAll(async () => {
    await h.stop();
  });

  test('repayments made after 1,000 applied orders still have their orders; an edit to one of them is found, on that one', async () => {
    // Offline repayments recorded earlier (stored before, and sorting before, the borrower's order).
    for (let start = 0; start < EARLIER_ORDERS; start += 100) {
      await h.docs.transact(async (tx) => {
        for (let i = start; i < start + 100; i++) {
          const order: StoredDoc = {
            _id: `0-offline-${String(i).padStart(4, '0')}`,
            loanId: `0-loan-${i}`,
            state: 'applied',
            amount: 100,
            offline: { operator: 'op-maker', evidence: 'bank slip', checker: 'op-checker' },
            createdAt: h.now(),
          };
          await tx.put(C.orders, order);
        }
      });
    }
    // Three borrowers' repayments after them: cloudPay is asked about each, several at once.
    const paid: Array<{ outTradeNo: string; amount: number }> = [];
    for (let i = 0; i < 3; i++) {
      const { loanId, openid } = await disbursedLoan(h);
      const answer = await callAs<PayAnswer>(h, openid, 'repayment', {
        action: 'pay',
        loanId,
        kind: 'due',
        requestId: `verify-all-${loanId}`,
      });
      if (!answer.ok) throw new Error(`pay: ${answer.error.code}`);
      expect((await payAsBorrower(h, openid, answer.data.payment.package)).status).toBe(200);
      const order = await orderOf(h, answer.data.outTradeNo);
      expect(order?.state).toBe('applied');
      paid.push({ outTradeNo: answer.data.outTradeNo, amount: order?.amount ?? 0 });
    }

    expect(await verifyRepaymentLedger(h.deps)).toEqual([]);

    // The middle one edited in the console: exactly its problems, named by its own order.
    const [, middle] = paid as [unknown, { outTradeNo: string; amount: number }];
    await h.docs.updateWhere(C.orders, { _id: middle.outTradeNo }, { amount: middle.amount + 1 });
    expect(await verifyRepaymentLedger(h.deps)).toEqual([
      { code: 'AMOUNT_MISMATCH', ref: middle.outTradeNo },
      { code: 'NOT_PAID_AT_CLOUDPAY', ref: middle.outTradeNo },
    ]);
  });
});
