import { isTransactionConflict, type DocStore, type StoredDoc, type TxDocs } from '../storage/doc-store';
import { appendVouchers } from '../ledger/append';
import type { Clock } from '../clock';
import { PAYOUT_COLLECTIONS as C } from './collections';
import { checkLimits } from './limits';
import { releaseMerchant, reserveMerchant } from './merchant-shards';
import type { PayoutDoc } from './payout-doc';
import type { CommitResult, LimitReservation, PayoutCommit } from './ports';
import { loanTxHooks as hooks } from './loan-hooks';

/** A day's borrower counter document. */
interface BorrowerCounter extends StoredDoc {
  amount: number;
}

const borrowerKey = (day: string, openid: string): string => `b:${day}:${openid}`;

/**
 * Storage of payouts plus everything committed with them, over the project's DocStore: every
 * commit is one database transaction (limits, bill index, vouchers, the loan's status, audit).
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

  /** Writes everything of one state change in one transaction, or nothing; a lost race answers `conflict`. */
  async commit(change: PayoutCommit): Promise<CommitResult> {
    try {
      return await this.write(change);
    } catch (error) {
      if (isTransactionConflict(error)) return { kind: 'conflict' };
      throw error;
    }
  }

  private write(change: PayoutCommit): Promise<CommitResult> {
    return this.docs.transact(async (tx) => {
      const stored = await tx.get<PayoutDoc & StoredDoc>(C.payouts, change.next._id);
      const expected = change.expectedVersion;
      if (expected === null ? stored !== undefined : stored?.version !== expected)
        return { kind: 'conflict' } as const;
      const at = this.clock.now();
      // Every read and check happens before the first write, so a refusal writes nothing.
      // A new bill moves money: the money gate refuses frozen and blacklisted borrowers (throws).
      if (change.reserve) await hooks.guardDisbursement(tx, change.next._id);
      const counters = change.reserve ? await this.reserveCounters(tx, change.reserve) : undefined;
      if (counters && 'code' in counters)
        return { kind: 'refused', code: counters.code, message: counters.message } as const;
      const release = change.release ? await this.releasedCounters(tx, change.release) : [];

      for (const doc of counters ?? []) await tx.put(C.payoutCounters, doc);
      for (const doc of release) await tx.put(C.payoutCounters, doc);
      // The bill numbers are found through the payout's own indexed `billNos`: no index document to write.
      await tx.put(C.payouts, change.next as PayoutDoc & StoredDoc);
      await appendVouchers(tx, change.vouchers, at);
      const actor = change.events[0]?.actor ?? { id: 'system:payout', type: 'system' as const };
      if (change.loanStatus)
        await hooks.moveLoan(tx, change.next._id, change.loanStatus.to, change.loanStatus.note, actor, at);
      for (const event of change.events) await hooks.audit(tx, event, at);
      return { kind: 'committed' } as const;
    });
  }

  private async reserveCounters(
    tx: TxDocs,
    r: LimitReservation,
  ): Promise<StoredDoc[] | { code: string; message: string }> {
    const borrower = (await tx.get<BorrowerCounter>(C.payoutCounters, borrowerKey(r.day, r.openid))) ?? {
      _id: borrowerKey(r.day, r.openid),
      amount: 0,
    };
    // Per-transfer and per-borrower rules first (the merchant's totals are checked by the shards).
    const own = checkLimits(
      r.amount,
      { merchantAmount: 0, merchantCalls: 0, borrowerAmount: borrower.amount },
      r.limits,
    );
    if (own) return own;
    const merchant = await reserveMerchant(tx, r);
    if (!Array.isArray(merchant)) return merchant;
    return [...merchant, { ...borrower, amount: borrower.amount + r.amount }];
  }

  private async releasedCounters(tx: TxDocs, r: NonNullable<PayoutCommit['release']>): Promise<StoredDoc[]> {
    const out: StoredDoc[] = await releaseMerchant(tx, r);
    const borrower = await tx.get<BorrowerCounter>(C.payoutCounters, borrowerKey(r.day, r.openid));
    if (borrower) out.push({ ...borrower, amount: Math.max(0, borrower.amount - r.amount) });
    return out;
  }
}
