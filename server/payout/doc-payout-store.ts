import {
  DocumentExistsError,
  isTransactionConflict,
  type DocStore,
  type StoredDoc,
  type TxDocs,
} from '../storage/doc-store';
import { appendVouchers } from '../ledger/append';
import type { Clock } from '../clock';
import { releaseBorrowerDay, reserveBorrowerDay, type CounterWrite } from './borrower-day';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { LimitRefusal } from './limits';
import { releaseMerchant, reserveMerchant } from './merchant-shards';
import { payoutAloneUpdate, type PayoutAloneUpdate } from './payout-alone';
import type { PayoutDoc } from './payout-doc';
import type { CommitResult, LimitReservation, PayoutCommit } from './ports';
import { loanTxHooks as hooks } from './loan-hooks';

/**
 * Storage of payouts plus everything committed with them, over the project's DocStore: every
 * commit is one database transaction (limits, vouchers, the loan's status, audit), or one conditional
 * update when the payout document alone changes.
 */
export class DocPayoutStore {
  constructor(
    /** The database the payouts live in. */
    readonly docs: DocStore,
    private readonly clock: Clock,
  ) {}

  /** The payout of a loan. */
  get(loanId: string): Promise<PayoutDoc | undefined> {
    return this.docs.get<PayoutDoc & StoredDoc>(C.payouts, loanId);
  }

  /** The payout a bill number belongs to: one query on the payouts' own `billNos` (indexed). */
  async findByBillNo(outBillNo: string): Promise<PayoutDoc | undefined> {
    const [found] = await this.docs.find<PayoutDoc & StoredDoc>(
      C.payouts,
      { billNos: outBillNo },
      { limit: 1 },
    );
    return found;
  }

  /** Open payouts, oldest first. */
  listOpen(skip: number, limit: number): Promise<PayoutDoc[]> {
    return this.docs.find<PayoutDoc & StoredDoc>(
      C.payouts,
      { open: true },
      { orderBy: { field: 'createdAt', direction: 'asc' }, skip, limit },
    );
  }

  /**
   * Payouts with a final bill the reconciler has not asked WeChat about again, or with a booking
   * pending (both flags indexed), oldest first: one query.
   */
  listFinalCheckOrBooking(skip: number, limit: number): Promise<PayoutDoc[]> {
    return this.docs.findAny<PayoutDoc & StoredDoc>(
      C.payouts,
      [{ finalCheck: true }, { bookingPending: true }],
      { orderBy: { field: 'createdAt', direction: 'asc' }, skip, limit },
    );
  }

  /**
   * Notes that WeChat was asked about the final bills of `doc` (and whether it disagreed), on that
   * very version: a payout written meanwhile keeps its flag and is asked about next time.
   */
  async markFinalChecked(doc: PayoutDoc, at: number, disputed: boolean): Promise<void> {
    await this.docs.updateWhere(
      C.payouts,
      { _id: doc._id, version: doc.version },
      { finalCheck: false, finalCheckedAt: at, ...(disputed ? { disputed: true } : {}) },
    );
  }

  /** All payouts, oldest first. */
  listAll(skip: number, limit: number): Promise<PayoutDoc[]> {
    return this.docs.find<PayoutDoc & StoredDoc>(
      C.payouts,
      {},
      { orderBy: { field: 'createdAt', direction: 'asc' }, skip, limit },
    );
  }

  /** Per-bill rate limit of progress queries, kept on a document of the bill's own (created by the first query). */
  async claimProgressQuery(outBillNo: string, now: number, everyMs: number): Promise<boolean> {
    try {
      return await this.docs.transact(async (tx) => {
        const slot = await tx.get<StoredDoc & { progressQueryAt?: number }>(C.payoutBills, outBillNo);
        if ((slot?.progressQueryAt ?? 0) > now - everyMs) return false;
        await tx.put(C.payoutBills, { ...(slot ?? { _id: outBillNo }), progressQueryAt: now });
        return true;
      });
    } catch (error) {
      // Another progress call took the slot at the same moment: that one asks WeChat.
      if (isTransactionConflict(error)) return false;
      throw error;
    }
  }

  /**
   * Writes everything of one state change in one transaction, or nothing; a lost race (or an insert
   * that finds the payout stored meanwhile) answers `conflict`. A change of the payout document
   * alone marked `alone` is one conditional update instead (payout-alone.ts).
   */
  async commit(change: PayoutCommit): Promise<CommitResult> {
    const alone = payoutAloneUpdate(change, this.clock.now());
    if (alone) return this.updateAlone(alone);
    return this.commitDecided<never>(async () => change);
  }

  /**
   * Like `commit`, for a change decided inside the transaction on what it reads (the first intent
   * of an approved application): `decide` answers the change, or why there is none (nothing is
   * written then, and that answer is returned).
   */
  async commitDecided<Undecided extends { kind: 'undecided' }>(
    decide: (tx: TxDocs) => Promise<PayoutCommit | Undecided>,
  ): Promise<CommitResult | Undecided> {
    try {
      return await this.docs.transact(async (tx) => {
        const decided = await decide(tx);
        return 'next' in decided ? this.write(tx, decided) : decided;
      });
    } catch (error) {
      if (isTransactionConflict(error) || error instanceof DocumentExistsError) return { kind: 'conflict' };
      throw error;
    }
  }

  /** The payout-only update (its audit records wait in the document); a lost race is `conflict`. */
  private async updateAlone(update: PayoutAloneUpdate): Promise<CommitResult> {
    const changed = await this.docs.updateWhere(C.payouts, update.filter, update.fields);
    return changed === 1 ? { kind: 'committed', doc: update.doc } : { kind: 'conflict' };
  }

  private async write(tx: TxDocs, change: PayoutCommit): Promise<CommitResult> {
    const id = change.next._id;
    const expected = change.expectedVersion;
    // A first intent is inserted: the insert itself refuses a payout stored meanwhile (no read).
    if (expected !== null && (await tx.get<PayoutDoc & StoredDoc>(C.payouts, id))?.version !== expected)
      return { kind: 'conflict' };
    const at = this.clock.now();
    // Every read and check happens before the first write, so a refusal writes nothing.
    // A new bill moves money: the money gate refuses frozen and blacklisted borrowers (throws); its
    // reads and the limit counters' go out together.
    const [, counters] = await Promise.all([
      change.reserve ? hooks.guardDisbursement(tx, id) : undefined,
      change.reserve ? this.reserveCounters(tx, change.reserve) : undefined,
    ]);
    if (counters && 'code' in counters)
      return { kind: 'refused', code: counters.code, message: counters.message };
    const release = change.release ? await this.releasedCounters(tx, change.release) : [];

    for (const { collection, doc } of [...(counters ?? []), ...release]) await tx.put(collection, doc);
    // The bill numbers are found through the payout's own indexed `billNos`: no index document to write.
    if (expected === null) await tx.insert(C.payouts, change.next as PayoutDoc & StoredDoc);
    else await tx.put(C.payouts, change.next as PayoutDoc & StoredDoc);
    await appendVouchers(tx, change.vouchers, at);
    const actor = change.events[0]?.actor ?? { id: 'system:payout', type: 'system' as const };
    if (change.loanStatus)
      await hooks.moveLoan(tx, id, change.loanStatus.to, change.loanStatus.note, actor, at);
    for (const event of change.events) await hooks.audit(tx, event, at);
    // The payout as this transaction leaves it (its audit head included), from the transaction's memory.
    return { kind: 'committed', doc: (await tx.get<PayoutDoc & StoredDoc>(C.payouts, id)) ?? change.next };
  }

  private async reserveCounters(tx: TxDocs, r: LimitReservation): Promise<CounterWrite[] | LimitRefusal> {
    // The borrower's and the merchant's counters are read together (the borrower's from the document
    // the money gate reads anyway).
    const [borrower, merchant] = await Promise.all([
      reserveBorrowerDay(tx, r, this.clock.now()),
      reserveMerchant(tx, r),
    ]);
    if ('code' in borrower) return borrower;
    if (!Array.isArray(merchant)) return merchant;
    return [...merchant.map((doc) => ({ collection: C.payoutCounters, doc })), borrower];
  }

  private async releasedCounters(
    tx: TxDocs,
    r: NonNullable<PayoutCommit['release']>,
  ): Promise<CounterWrite[]> {
    const [merchant, borrower] = await Promise.all([
      releaseMerchant(tx, r),
      releaseBorrowerDay(tx, r, this.clock.now()),
    ]);
    return [...merchant.map((doc) => ({ collection: C.payoutCounters, doc })), ...borrower];
  }
}
