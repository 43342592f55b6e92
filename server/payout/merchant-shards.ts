import { createHash } from 'node:crypto';
import type { DocStore, StoredDoc, TxDocs } from '../storage/doc-store';
import { PAYOUT_COLLECTIONS as C } from './collections';
import type { LimitRefusal, PayoutLimits } from './limits';

/**
 * The merchant's daily totals as escrow shards: the day's cap (amount and bill count) is split into
 * `MERCHANT_SHARDS` allowances that always sum to the cap; each shard's use never exceeds its
 * allowance. A reservation writes only its bill's home shard, so concurrent approvals by different
 * borrowers rarely touch the same document. Only when the home shard lacks room does the
 * transaction read every shard: if the day's total still fits, it moves spare allowance from other
 * shards to the home shard (writing each shard it changes); otherwise it refuses. See docs/limits.md.
 */
export const MERCHANT_SHARDS = 16;

/** One shard of a day's merchant totals. */
export interface MerchantShard extends StoredDoc {
  day: string;
  /** Used amount and bill count. */
  amount: number;
  calls: number;
  /**
   * Allowance moved into (positive) or out of this shard; its allowance is its fixed share of the
   * cap in force plus this. Moves are pairwise, so the day's moves sum to zero and the allowances
   * to the cap — also right after the cap changes.
   */
  movedAmount: number;
  movedCalls: number;
}

/** A shard with its allowance under the limits in force. */
interface Allowed {
  doc: MerchantShard;
  amountAllowance: number;
  callsAllowance: number;
}

/** The shard a bill reserves in and releases to (a pure function of the bill number). */
export function shardIndex(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % MERCHANT_SHARDS;
}

const shardId = (day: string, index: number): string => `m:${day}:${String(index).padStart(2, '0')}`;

/** The day's merchant totals used so far (reserved bills, in flight or paid): one query over the shards. */
export async function merchantDayUsed(
  store: DocStore,
  day: string,
): Promise<{ amount: number; calls: number }> {
  const ids = Array.from({ length: MERCHANT_SHARDS }, (_, i) => shardId(day, i));
  const shards = await store.find<MerchantShard>(
    C.payoutCounters,
    { _id: { $in: ids } },
    { limit: ids.length },
  );
  return {
    amount: shards.reduce((sum, s) => sum + s.amount, 0),
    calls: shards.reduce((sum, s) => sum + s.calls, 0),
  };
}

/** Share `index` of `total` split into MERCHANT_SHARDS whole parts (the first ones take the remainder). */
function share(total: number, index: number): number {
  return Math.floor(total / MERCHANT_SHARDS) + (index < total % MERCHANT_SHARDS ? 1 : 0);
}

/** A shard as stored (or fresh) with its allowance under the limits in force. */
async function readShard(tx: TxDocs, day: string, index: number, limits: PayoutLimits): Promise<Allowed> {
  const doc = (await tx.get<MerchantShard>(C.payoutCounters, shardId(day, index))) ?? {
    _id: shardId(day, index),
    day,
    amount: 0,
    calls: 0,
    movedAmount: 0,
    movedCalls: 0,
  };
  return {
    doc,
    amountAllowance: share(limits.perMerchantDailyCapFen, index) + doc.movedAmount,
    callsAllowance: share(limits.dailyCallCount, index) + doc.movedCalls,
  };
}

/** Reads the home shard of bill `key` into the transaction ahead of its reservation (then answered from memory). */
export async function prefetchHomeShard(tx: TxDocs, day: string, key: string): Promise<void> {
  await tx.get<MerchantShard>(C.payoutCounters, shardId(day, shardIndex(key)));
}

const fits = (s: Allowed, amount: number): boolean =>
  s.doc.amount + amount <= s.amountAllowance && s.doc.calls + 1 <= s.callsAllowance;

/** The merchant-wide refusals, checked against the exact day totals. */
function merchantRefusal(
  amount: number,
  used: number,
  calls: number,
  limits: PayoutLimits,
): LimitRefusal | undefined {
  if (used + amount > limits.perMerchantDailyCapFen)
    return { code: 'PAYOUT_OVER_MERCHANT_DAILY_CAP', message: '今日放款额度已满，将于明天继续处理' };
  if (calls + 1 > limits.dailyCallCount)
    return { code: 'PAYOUT_OVER_DAILY_CALLS', message: '今日放款笔数已满，将于明天继续处理' };
  return undefined;
}

/**
 * Reserves `amount` and one bill of the day's merchant totals inside `tx`: answers the shard
 * documents to write, or the refusal (nothing to write). Exact: a refusal means the day's true
 * total (every shard, one snapshot) plus `amount` exceeds the cap.
 */
export async function reserveMerchant(
  tx: TxDocs,
  r: { day: string; key: string; amount: number; limits: PayoutLimits },
): Promise<MerchantShard[] | LimitRefusal> {
  const home = shardIndex(r.key);
  const own = await readShard(tx, r.day, home, r.limits);
  const take = (doc: MerchantShard): MerchantShard => ({
    ...doc,
    amount: doc.amount + r.amount,
    calls: doc.calls + 1,
  });
  if (fits(own, r.amount)) return [take(own.doc)];
  const others = await Promise.all(
    Array.from({ length: MERCHANT_SHARDS }, (_, i) => i)
      .filter((i) => i !== home)
      .map((i) => readShard(tx, r.day, i, r.limits)),
  );
  const all = [own, ...others];
  const used = all.reduce((s, x) => s + x.doc.amount, 0);
  const calls = all.reduce((s, x) => s + x.doc.calls, 0);
  const refusal = merchantRefusal(r.amount, used, calls, r.limits);
  if (refusal) return refusal;
  // The day fits: move spare allowance from the other shards into the home shard.
  let needAmount = Math.max(0, own.doc.amount + r.amount - own.amountAllowance);
  let needCalls = Math.max(0, own.doc.calls + 1 - own.callsAllowance);
  const next = { ...own.doc };
  const changed: MerchantShard[] = [];
  for (const other of others) {
    if (needAmount === 0 && needCalls === 0) break;
    const giveAmount = Math.min(needAmount, Math.max(0, other.amountAllowance - other.doc.amount));
    const giveCalls = Math.min(needCalls, Math.max(0, other.callsAllowance - other.doc.calls));
    if (giveAmount === 0 && giveCalls === 0) continue;
    needAmount -= giveAmount;
    needCalls -= giveCalls;
    next.movedAmount += giveAmount;
    next.movedCalls += giveCalls;
    changed.push({
      ...other.doc,
      movedAmount: other.doc.movedAmount - giveAmount,
      movedCalls: other.doc.movedCalls - giveCalls,
    });
  }
  // Unreachable while the totals fit (spare allowance sums to cap − use); kept as a guard.
  if (needAmount > 0 || needCalls > 0)
    return merchantRefusal(r.amount, Number.MAX_SAFE_INTEGER, 0, r.limits) as LimitRefusal;
  return [take(next), ...changed];
}

/** Gives a confirmed-unpaid bill's amount back to its home shard (the bill count stays used). */
export async function releaseMerchant(
  tx: TxDocs,
  r: { day: string; key: string; amount: number },
): Promise<MerchantShard[]> {
  const shard = await tx.get<MerchantShard>(C.payoutCounters, shardId(r.day, shardIndex(r.key)));
  return shard ? [{ ...shard, amount: Math.max(0, shard.amount - r.amount) }] : [];
}
