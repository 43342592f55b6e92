import type { Instalment, RepaymentMethod } from '../../typings/loan';
import type { Fen } from '../../typings/money';

/** Monthly interest on `balance` at `aprBps`, rounded half up to whole fen in integer arithmetic. */
export function monthlyInterest(balance: number, aprBps: number): number {
  // balance ≤ 1e9 and aprBps ≤ 1e4 keep the product far below 2^53.
  return Math.floor((balance * aprBps * 2 + 120_000) / 240_000);
}

/** The level payment of 等额本息 rounded to fen (the last instalment absorbs the residue). */
function levelPayment(principal: number, aprBps: number, months: number): number {
  const r = aprBps / 120_000;
  if (r === 0) return Math.ceil(principal / months);
  const growth = Math.pow(1 + r, months);
  return Math.round((principal * r * growth) / (growth - 1));
}

/**
 * Repayment schedule in integer fen. Each period's interest is charged on the outstanding balance;
 * the last instalment repays exactly what is left, so principals sum to `principal` and totals sum
 * to principal + interest exactly.
 */
export function repaymentSchedule(
  principal: Fen,
  aprBps: number,
  months: number,
  method: RepaymentMethod,
): Instalment[] {
  const schedule: Instalment[] = [];
  const payment = levelPayment(principal, aprBps, months);
  const evenPrincipal = Math.floor(principal / months);
  let balance: number = principal;
  for (let period = 1; period <= months; period += 1) {
    const interest = monthlyInterest(balance, aprBps);
    const last = period === months;
    const planned = method === 'equal_instalment' ? payment - interest : evenPrincipal;
    const part = last ? balance : Math.min(balance, Math.max(0, planned));
    balance -= part;
    schedule.push({
      period,
      principal: part as Fen,
      interest: interest as Fen,
      total: (part + interest) as Fen,
    });
  }
  return schedule;
}
