import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { linkHash } from '../../server/audit/hash-chain';
import { appendVouchers, LEDGER_COLLECTIONS, sealLedger } from '../../server/ledger/append';
import { verifyLedger } from '../../server/ledger/read';
import {
  disbursementVoucher,
  isBalanced,
  ledgerChainOf,
  reversalVoucher,
  type Voucher,
  type VoucherDraft,
} from '../../server/ledger/voucher';
import { refundVoucher, repaymentVoucher, writeOffVoucher } from '../../server/repayment/vouchers';
import type { DocStore, StoredDoc, TxDocs } from '../../server/storage/doc-store';
import { MemoryDocStore } from '../../server/storage/memory-store';
import type { Fen } from '../../typings/money';

const fen = (n: number) => n as Fen;

/** Books `drafts` in one transaction, as every payout and repayment commit does. */
const book = (store: DocStore, drafts: VoucherDraft[], at = 1_000) =>
  store.transact((tx) => appendVouchers(tx, drafts, at));

type Stored = Voucher & StoredDoc;
const voucher = (store: MemoryDocStore, id: string) =>
  store.raw(LEDGER_COLLECTIONS.vouchers).get(id) as Stored;

/** A store that records which documents each transaction wrote. */
class RecordingStore extends MemoryDocStore {
  readonly writes: string[][] = [];
  override transact<R>(work: (tx: TxDocs) => Promise<R>): Promise<R> {
    return super.transact((tx) => {
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
}

const SEED = Number(process.env.LEDGER_SEED ?? Date.now() % 2 ** 31);
console.log(`ledger property seed ${SEED} (rerun: LEDGER_SEED=${SEED})`);

describe('ledger: one keyed chain per loan, head in that loan’s own document', () => {
  it('each loan chains on its own; the head is written with the voucher; booking twice books once', async () => {
    const store = new RecordingStore();
    await book(store, [disbursementVoucher('A', 'WLa', fen(30_000))]);
    await book(store, [disbursementVoucher('B', 'WLb', fen(20_000))]);
    await book(store, [
      repaymentVoucher('A', 'RPa1', fen(10_000), {
        principal: 9_000,
        interest: 1_000,
        penalty: 0,
        excess: 0,
      } as never),
    ]);
    await book(store, [disbursementVoucher('A', 'WLa', fen(30_000))]);
    expect(voucher(store, 'disbursement:WLa')).toMatchObject({ chain: 'ledger:A', seq: 1 });
    expect(voucher(store, 'repayment:RPa1')).toMatchObject({ chain: 'ledger:A', seq: 2 });
    expect(voucher(store, 'disbursement:WLb')).toMatchObject({ chain: 'ledger:B', seq: 1 });
    expect(store.raw(LEDGER_COLLECTIONS.heads).get('ledger:A')).toMatchObject({ seq: 2, unsealed: true });
    expect(store.writes).toEqual([
      ['ledgerVouchers/disbursement:WLa', 'ledgerHeads/ledger:A'],
      ['ledgerVouchers/disbursement:WLb', 'ledgerHeads/ledger:B'],
      ['ledgerVouchers/repayment:RPa1', 'ledgerHeads/ledger:A'],
      [],
    ]);
    expect(await verifyLedger(store)).toEqual([]);
  });

  it('no document is written by the vouchers of two different loans (no global head)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D'), fc.integer({ min: 1, max: 10_000 })), {
          minLength: 2,
          maxLength: 30,
        }),
        async (facts) => {
          const store = new RecordingStore();
          for (const [i, [loan, amount]] of facts.entries())
            await book(store, [refundVoucher(loan, `RF${i}`, fen(amount))]);
          const writersOf = new Map<string, Set<string>>();
          store.writes.forEach((written, i) => {
            for (const doc of written) {
              const loans = writersOf.get(doc) ?? new Set<string>();
              loans.add((facts[i] as [string, number])[0]);
              writersOf.set(doc, loans);
            }
          });
          for (const loans of writersOf.values()) expect(loans.size).toBe(1);
        },
      ),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('property: any mix of vouchers over many loans stays double-entry, balanced and verifying', async () => {
    const draftArb = fc
      .tuple(
        fc.constantFrom('L1', 'L2', 'L3'),
        fc.constantFrom('disbursement', 'repayment', 'refund', 'write_off'),
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.nat({ max: 5 }),
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 3, maxLength: 3 }),
      )
      .map(([loan, kind, amount, ref, [a, b, c]]): VoucherDraft => {
        if (kind === 'disbursement') return disbursementVoucher(loan, `WL${loan}${ref}`, fen(amount));
        if (kind === 'refund') return refundVoucher(loan, `RF${loan}${ref}`, fen(amount));
        if (kind === 'write_off') return writeOffVoucher(loan, fen(amount));
        // An allocation that adds up to the amount, split by the three weights.
        const total = (a ?? 0) + (b ?? 0) + (c ?? 0) + 1;
        const principal = Math.floor((amount * (a ?? 0)) / total);
        const interest = Math.floor((amount * (b ?? 0)) / total);
        const penalty = Math.floor((amount * (c ?? 0)) / total);
        const excess = amount - principal - interest - penalty;
        return repaymentVoucher(loan, `RP${loan}${ref}`, fen(amount), {
          principal,
          interest,
          penalty,
          excess,
        } as never);
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(draftArb, { minLength: 1, maxLength: 4 }), { maxLength: 25 }),
        async (batches) => {
          const store = new MemoryDocStore();
          for (const [i, batch] of batches.entries()) {
            await book(store, batch, 1_000 + i);
            if (i % 7 === 3) await sealLedger(store, 1_000 + i);
          }
          const stored = [...store.raw(LEDGER_COLLECTIONS.vouchers).values()] as Stored[];
          const distinct = new Set(batches.flat().map((d) => `${d.kind}:${d.outBillNo}`));
          expect(stored).toHaveLength(distinct.size);
          let debit = 0;
          let credit = 0;
          for (const v of stored) {
            expect(isBalanced(v)).toBe(true);
            expect(v.chain).toBe(ledgerChainOf(v.loanId));
            for (const line of v.lines) {
              debit += line.debit;
              credit += line.credit;
            }
          }
          expect(debit).toBe(credit);
          expect(await verifyLedger(store)).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a voucher edited in the database with every hash recomputed is reported at that link (the key is not in the database)', async () => {
    const store = new MemoryDocStore();
    await book(store, [disbursementVoucher('A', 'WLa', fen(30_000))], 1);
    await book(store, [refundVoucher('A', 'RF1', fen(500))], 2);
    await book(store, [refundVoucher('A', 'RF2', fen(700))], 3);
    // The forger shrinks the disbursement (lines and amount stay balanced) and re-links the whole
    // chain and the head with a key of their own: they can read every document, but not the key.
    const forgerKey = randomBytes(32);
    const ids = ['disbursement:WLa', 'refund:RF1', 'refund:RF2'];
    const first = voucher(store, ids[0] as string);
    first.amount = fen(1);
    first.lines = [
      { account: 'loans_receivable', debit: fen(1), credit: fen(0) },
      { account: 'merchant_operating_cash', debit: fen(0), credit: fen(1) },
    ];
    let prev = first.prevHash;
    for (const id of ids) {
      const v = voucher(store, id);
      v.prevHash = prev;
      const { hash: _h, chain, seq, prevHash: _p, ...entry } = v;
      v.hash = linkHash(prev, { chain, seq, entry }, forgerKey);
      prev = v.hash;
    }
    Object.assign(store.raw(LEDGER_COLLECTIONS.heads).get('ledger:A') as object, { hash: prev });
    expect(await verifyLedger(store)).toEqual([
      { code: 'CHAIN_BROKEN', ref: 'ledger:A#1', detail: 'hash_mismatch' },
    ]);
  });

  it('removing a voucher, a tail or rewriting a sealed head is named by its first broken link', async () => {
    const store = new MemoryDocStore();
    await book(store, [disbursementVoucher('A', 'WLa', fen(30_000))], 1);
    await book(
      store,
      [
        reversalVoucher(
          { ...disbursementVoucher('A', 'WLa', fen(30_000)), _id: 'disbursement:WLa' } as Voucher,
          '更正',
        ),
      ],
      2,
    );
    await book(store, [disbursementVoucher('B', 'WLb', fen(10_000))], 3);
    expect(await sealLedger(store, 4)).toEqual({ sealed: 2 });
    expect(await sealLedger(store, 5)).toEqual({ sealed: 0 });
    expect(await verifyLedger(store)).toEqual([]);

    // The tail of A removed and its head moved back to match: the seal still remembers the old head.
    const tail = voucher(store, 'reversal:WLa');
    store.raw(LEDGER_COLLECTIONS.vouchers).delete('reversal:WLa');
    const head = store.raw(LEDGER_COLLECTIONS.heads).get('ledger:A') as StoredDoc;
    const saved = { ...head };
    Object.assign(head, { seq: 1, hash: voucher(store, 'disbursement:WLa').hash });
    expect(await verifyLedger(store)).toEqual([
      { code: 'CHAIN_BROKEN', ref: 'ledger:A#2', detail: 'seal_mismatch' },
    ]);
    // The head left as it was: the chain itself is short (and the seal remembers the missing link).
    Object.assign(head, saved);
    expect(await verifyLedger(store)).toEqual([
      { code: 'CHAIN_BROKEN', ref: 'ledger:A#2', detail: 'head_mismatch' },
      { code: 'CHAIN_BROKEN', ref: 'ledger:A#2', detail: 'seal_mismatch' },
    ]);
    store.raw(LEDGER_COLLECTIONS.vouchers).set(tail._id, tail);
    expect(await verifyLedger(store)).toEqual([]);
    // A voucher moved to another loan's chain.
    const moved = voucher(store, 'disbursement:WLb');
    moved.loanId = 'A';
    expect((await verifyLedger(store)).map((p) => [p.ref, p.detail])).toContainEqual([
      'ledger:B#1',
      'subject_mismatch',
    ]);
  });
});
