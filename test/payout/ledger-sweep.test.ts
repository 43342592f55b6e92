import type { Fen } from '../../typings/money';
import type { DatabaseService } from '../../emulator/src/database';
import { GENESIS_HASH } from '../../server/audit/hash-chain';
import { sealId, type AuditSeal } from '../../server/audit/seal';
import { sealLedger } from '../../server/ledger/append';
import type { LedgerProblem } from '../../server/ledger/check';
import { auditKeys } from '../../server/audit/audit-keys';
import { ledgerChainOf, voucherHash, type Voucher } from '../../server/ledger/voucher';
import { PAYOUT_COLLECTIONS as C } from '../../server/payout/collections';
import { startPayout } from '../../server/payout/engine';
import {
  SWEEP_SIZES,
  sweepLedger,
  type SweepReport,
  type SweepSizes,
} from '../../server/payout/ledger-sweep';
import { checkLedger } from '../../server/payout/reconcile';
import { runReconcileTick } from '../../server/payout/reconcile-tick';
import type { DocStore, StoredDoc } from '../../server/storage/doc-store';
import { driveToSuccess, seedApprovedLoan, startPayoutHarness, type PayoutHarness } from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;
/** Small pages, so five loans take three sweeps to cover. */
const SIZES: SweepSizes = {
  rolling: 2,
  changed: 500,
  seals: 2,
  sealedHeads: 2_000,
  resealedHeads: 2,
  openProblems: 100,
};
const LOANS = 5;
/** Past the sweep's look-back for late commits (one minute): nothing counts as changed any more. */
const QUIET_MS = 2 * 60_000 + 1_000;

const key = (p: LedgerProblem): string => `${p.code} ${p.ref} ${p.detail}`;
const keys = (problems: readonly LedgerProblem[]): string[] => [...new Set(problems.map(key))].sort();

describe('the reconcile timer sweeps the ledger in bounded work per tick', () => {
  let h: PayoutHarness;
  const loans: string[] = [];

  const sweep = (sizes: SweepSizes = SIZES, docs: DocStore = h.docs) =>
    sweepLedger({ docs, now: () => h.now() }, sizes);

  async function paidLoan(amount: number): Promise<string> {
    const loan = await seedApprovedLoan(h, amount);
    await startPayout(h.deps, loan, SYSTEM);
    await driveToSuccess(h, loan.loanId);
    return loan.loanId;
  }

  /**
   * Enough sweeps to cover every loan once whatever the cursors' start: any ⌈n ÷ rolling⌉ + 1
   * consecutive sweeps read every one of n chains (and payouts).
   */
  async function oneLap(): Promise<SweepReport[]> {
    const reports: SweepReport[] = [];
    for (let i = 0; i < Math.ceil(loans.length / SIZES.rolling) + 1; i++) reports.push(await sweep());
    return reports;
  }

  beforeAll(async () => {
    h = await startPayoutHarness();
    for (let i = 0; i < LOANS; i++) loans.push(await paidLoan(31_000 + i * 100));
  });
  afterAll(async () => {
    await h.stop();
  });

  test('an intact ledger: nothing found; once quiet, a sweep reads only the rolling pages', async () => {
    const first = await sweep();
    expect(first.problems).toEqual([]);
    expect(first.loans).toBe(LOANS);
    await h.advance(QUIET_MS);
    // This one still looks back a minute before the first (changes that might have committed late).
    expect((await sweep()).problems).toEqual([]);
    const quiet = await sweep();
    expect(quiet.problems).toEqual([]);
    // The same two loans head both passes (chains and payouts sort alike): at most 2 × rolling.
    expect(quiet.loans).toBeGreaterThan(0);
    expect(quiet.loans).toBeLessThanOrEqual(2 * SIZES.rolling);
    expect(await checkLedger(h.deps)).toEqual([]);
  });

  test('console edits to an old voucher, head and payout are found within one lap, as the full check finds them, and stay reported until repaired', async () => {
    await h.advance(QUIET_MS);
    const [voucherLoan, headLoan, payoutLoan] = loans as [string, string, string];
    const [voucher] = await h.docs.find<StoredDoc & { amount: number }>(
      C.ledgerVouchers,
      { loanId: voucherLoan },
      { limit: 10 },
    );
    const head = await h.docs.get<StoredDoc & { hash: string }>(C.ledgerHeads, ledgerChainOf(headLoan));
    const payout = await h.docs.get<StoredDoc & { amount: number }>(C.payouts, payoutLoan);
    if (!voucher || !head || !payout) throw new Error('seeded loans are missing their books');
    // Written as someone with console access would: no `updatedAt` moves, nothing looks changed.
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: 1 });
    await h.docs.updateWhere(C.ledgerHeads, { _id: head._id }, { hash: 'f'.repeat(64) });
    await h.docs.updateWhere(C.payouts, { _id: payoutLoan }, { amount: payout.amount + 1 });

    const full = keys(await checkLedger(h.deps));
    expect(full.length).toBeGreaterThanOrEqual(3);
    const lap = await oneLap();
    expect(keys(lap.flatMap((r) => r.problems))).toEqual(full);
    for (const report of lap) expect(report.loans).toBeLessThanOrEqual(2 * SIZES.rolling + 3);
    // Found once, checked by every sweep after it until the books are right again.
    const again = await sweep();
    expect(keys(again.problems)).toEqual(full);
    expect([...again.cursor.open].sort()).toEqual([voucherLoan, headLoan, payoutLoan].sort());

    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount });
    await h.docs.updateWhere(C.ledgerHeads, { _id: head._id }, { hash: head.hash });
    await h.docs.updateWhere(C.payouts, { _id: payoutLoan }, { amount: payout.amount });
    const repaired = await sweep();
    expect(repaired.problems).toEqual([]);
    expect(repaired.cursor.open).toEqual([]);
    expect(await checkLedger(h.deps)).toEqual([]);
  });

  test('each sweep verifies the seals written since the last one it verified; a rewritten seal stops the cursor and stays reported', async () => {
    await sealLedger(h.docs, h.now());
    const sealed = await sweep();
    expect(sealed.problems).toEqual([]);
    const firstSeq = sealed.cursor.seals.seq;
    expect(firstSeq).toBeGreaterThan(0);

    loans.push(await paidLoan(32_000));
    await sealLedger(h.docs, h.now());
    const seal = await h.docs.get<AuditSeal>(C.ledgerSeals, sealId(firstSeq + 1));
    if (!seal) throw new Error('the second seal is missing');
    const forged = seal.heads.map((s, i) => (i === 0 ? { ...s, hash: 'e'.repeat(64) } : s));
    await h.docs.updateWhere(C.ledgerSeals, { _id: seal._id }, { heads: forged });

    const broken = await sweep();
    const expected = keys((await checkLedger(h.deps)).filter((p) => p.ref.startsWith('seal#')));
    expect(expected).toEqual([`CHAIN_BROKEN seal#${firstSeq + 1} hash_mismatch`]);
    expect(keys(broken.problems)).toEqual(expected);
    expect(broken.cursor.seals.seq).toBe(firstSeq);
    expect(keys((await sweep()).problems)).toEqual(expected);

    await h.docs.updateWhere(C.ledgerSeals, { _id: seal._id }, { heads: seal.heads });
    const intact = await sweep();
    expect(intact.problems).toEqual([]);
    expect(intact.cursor.seals).toEqual({ seq: seal.seq, hash: seal.hash });
  });

  test("the reconcile tick reports what its sweep finds in the operators' report, until it is repaired", async () => {
    await h.advance(QUIET_MS);
    const loanId = loans[1] as string;
    const [voucher] = await h.docs.find<StoredDoc & { amount: number }>(
      C.ledgerVouchers,
      { loanId },
      { limit: 10 },
    );
    if (!voucher) throw new Error('no voucher');
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount - 1 });
    const tick = await runReconcileTick(h.runtime);
    expect(tick.findings).toBeGreaterThan(0);
    const [report] = await h.docs.find<StoredDoc & { findings: Array<{ loanId: string; code: string }> }>(
      C.payoutReports,
      {},
      { orderBy: { field: 'at', direction: 'desc' }, limit: 1 },
    );
    expect(report?.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CHAIN_BROKEN', loanId: `${ledgerChainOf(loanId)}#1` }),
        expect.objectContaining({ code: 'AMOUNT_MISMATCH', loanId }),
      ]),
    );
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { amount: voucher.amount });
    expect((await runReconcileTick(h.runtime)).findings).toBe(0);
  });

  /** Removes a document as someone with console access could (the product never deletes vouchers). */
  async function removeDoc(collection: string, id: string): Promise<void> {
    const database = h.emu.hub.service<DatabaseService>('database');
    await database.engine.remove(collection, { query: { _id: id }, byId: true, multi: false });
  }

  /** Sweeps until `found` holds every key `expected` names (at most `max` sweeps); answers all problems seen. */
  async function sweepUntil(expected: string[], sizes: SweepSizes, max = 12): Promise<string[]> {
    const seen = new Set<string>();
    for (let i = 0; i < max && !expected.every((k) => seen.has(k)); i++)
      for (const k of keys((await sweep(sizes)).problems)) seen.add(k);
    return [...seen].sort();
  }

  test('a tail cut off a sealed chain, its head set back, shows only against its seal: the pass over old seals finds it', async () => {
    await sealLedger(h.docs, h.now());
    await h.advance(QUIET_MS);
    const loanId = loans[2] as string;
    const chain = ledgerChainOf(loanId);
    const vouchers = await h.docs.find<StoredDoc & { seq: number }>(
      C.ledgerVouchers,
      { chain },
      { limit: 10 },
    );
    const head = await h.docs.get<StoredDoc>(C.ledgerHeads, chain);
    const last = vouchers.sort((a, b) => a.seq - b.seq).at(-1);
    if (!last || !head) throw new Error('no chain to cut');
    await removeDoc(C.ledgerVouchers, last._id);
    const previous = vouchers.at(-2) as (StoredDoc & { hash: string }) | undefined;
    await h.docs.updateWhere(
      C.ledgerHeads,
      { _id: chain },
      { seq: last.seq - 1, hash: previous?.hash ?? GENESIS_HASH },
    );
    const full = keys(await checkLedger(h.deps));
    expect(full).toContain(`CHAIN_BROKEN ${chain}#${last.seq} seal_mismatch`);
    expect(await sweepUntil(full, SIZES)).toEqual(full);
    // The pass stays at the broken seal: reported by every sweep until repaired.
    expect(keys((await sweep()).problems)).toContain(`CHAIN_BROKEN ${chain}#${last.seq} seal_mismatch`);

    await h.docs.transact(async (tx) => {
      await tx.put(C.ledgerVouchers, last);
      await tx.put(C.ledgerHeads, head);
    });
    expect(await checkLedger(h.deps)).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await sweep()).problems).toEqual([]);
  });

  test('a voucher of no loan (no head, no payout) is found by the pass over vouchers', async () => {
    await h.advance(QUIET_MS);
    const [model] = await h.docs.find<StoredDoc>(
      C.ledgerVouchers,
      { loanId: loans[0] as string },
      { limit: 1 },
    );
    if (!model) throw new Error('no voucher');
    const ghost = {
      ...model,
      _id: 'disbursement:ghost-bill',
      loanId: 'ghost',
      chain: ledgerChainOf('ghost'),
    };
    await h.docs.transact(async (tx) => {
      await tx.insert(C.ledgerVouchers, ghost);
    });
    const full = keys(await checkLedger(h.deps));
    expect(full.filter((k) => k.includes('ghost')).length).toBeGreaterThanOrEqual(2);
    expect(await sweepUntil(full, SIZES)).toEqual(full);
    await removeDoc(C.ledgerVouchers, ghost._id);
    expect(await checkLedger(h.deps)).toEqual([]);
    const after = await sweep();
    expect(after.problems).toEqual([]);
    expect(after.cursor.open).toEqual([]);
  });

  test('more open problems than a sweep checks again: none is dropped, the unchecked wait first in line', async () => {
    await h.advance(QUIET_MS);
    const few: SweepSizes = { ...SIZES, openProblems: 1 };
    const edited = loans.slice(0, 3);
    const amounts = new Map<string, number>();
    for (const loanId of edited) {
      const payout = await h.docs.get<StoredDoc & { amount: number }>(C.payouts, loanId);
      amounts.set(loanId, payout?.amount ?? 0);
      await h.docs.updateWhere(C.payouts, { _id: loanId }, { amount: (payout?.amount ?? 0) + 1 });
    }
    const full = keys(await checkLedger(h.deps));
    expect(await sweepUntil(full, few)).toEqual(full);
    for (let i = 0; i < 3; i++) {
      const report = await sweep(few);
      expect([...report.cursor.open].sort()).toEqual([...edited].sort());
    }
    for (const loanId of edited)
      await h.docs.updateWhere(C.payouts, { _id: loanId }, { amount: amounts.get(loanId) });
    for (let i = 0; i < 4; i++) await sweep(few);
    expect((await sweep(few)).cursor.open).toEqual([]);
  });

  test('a quiet book whose every chain fits one page: one get, the lists and the vouchers, and no write', async () => {
    await h.advance(QUIET_MS);
    await sweep(SWEEP_SIZES);
    await sweep(SWEEP_SIZES);
    const calls: Record<string, number> = {};
    const counted = new Proxy(h.docs, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls[String(name)] = (calls[String(name)] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    expect((await sweep(SWEEP_SIZES, counted)).problems).toEqual([]);
    // The cursor; three rolling pages, changed heads, new and old seals; the vouchers of the loans
    // taken. No head or payout read again: every one is in hand or known absent.
    expect(calls).toEqual({ get: 1, find: 7 });
  });

  test('an unbalanced voucher whose link is valid (a booking bug, not an edit) is reported as such, every tick', async () => {
    await h.advance(QUIET_MS);
    const loanId = loans[3] as string;
    const chain = ledgerChainOf(loanId);
    const [voucher] = await h.docs.find<Voucher & StoredDoc>(C.ledgerVouchers, { chain }, { limit: 10 });
    const head = await h.docs.get<StoredDoc & { hash: string }>(C.ledgerHeads, chain);
    if (!voucher || !head || voucher.seq !== 1) throw new Error('expected a one-voucher chain');
    const lines = voucher.lines.map((l, i) => (i === 0 ? { ...l, debit: (l.debit + 1) as Fen } : l));
    const { hash: _old, ...link } = { ...voucher, lines };
    const hash = voucherHash(auditKeys(), link) as string;
    await h.docs.updateWhere(C.ledgerVouchers, { _id: voucher._id }, { lines, hash });
    await h.docs.updateWhere(C.ledgerHeads, { _id: chain }, { hash });
    const full = keys(await checkLedger(h.deps));
    expect(full).toContain(`VOUCHER_UNBALANCED ${voucher._id} debits ≠ credits`);
    expect(await sweepUntil(full, SIZES)).toEqual(full);
    expect(keys((await sweep()).problems)).toContain(`VOUCHER_UNBALANCED ${voucher._id} debits ≠ credits`);
    await h.docs.updateWhere(
      C.ledgerVouchers,
      { _id: voucher._id },
      { lines: voucher.lines, hash: voucher.hash },
    );
    await h.docs.updateWhere(C.ledgerHeads, { _id: chain }, { hash: head.hash });
    expect(await checkLedger(h.deps)).toEqual([]);
    for (let i = 0; i < 6; i++) await sweep();
    expect((await sweep()).problems).toEqual([]);
  });

  test('seals removed from the end of the seal chain are reported by the next sweep, and until they are back', async () => {
    loans.push(await paidLoan(33_000));
    await sealLedger(h.docs, h.now());
    const verified = (await sweep()).cursor.seals;
    const newest = await h.docs.get<AuditSeal>(C.ledgerSeals, sealId(verified.seq));
    if (!newest) throw new Error('no seal');
    await removeDoc(C.ledgerSeals, newest._id);
    expect(keys((await sweep()).problems)).toContain(`CHAIN_BROKEN seal#${verified.seq} gap`);
    expect(keys((await sweep()).problems)).toContain(`CHAIN_BROKEN seal#${verified.seq} gap`);
    await h.docs.transact(async (tx) => {
      await tx.put(C.ledgerSeals, newest);
    });
    for (let i = 0; i < 6; i++) await sweep();
    expect((await sweep()).problems).toEqual([]);
  });
});
