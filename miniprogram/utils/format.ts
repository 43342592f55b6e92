import dayjs from 'dayjs';
import { formatYuan } from '../shared/money';
import type { Fen } from '../../typings/money';
import type { RepaymentMethod } from '../../typings/loan';

/** An amount in yuan with two decimals, from integer fen: "1234.50 元". */
export function yuan(amount: Fen): string {
  return `${formatYuan(amount)} 元`;
}

/** A date-time in the phone's local time, e.g. "2026-11-28 10:05". */
export function dateTime(epochMs: number): string {
  return dayjs(epochMs).format('YYYY-MM-DD HH:mm');
}

/** A date, e.g. "2026-11-28". */
export function date(epochMs: number): string {
  return dayjs(epochMs).format('YYYY-MM-DD');
}

/** Annual rate from basis points, e.g. 1800 → "18.00%". */
export function aprPercent(aprBps: number): string {
  return `${Math.trunc(aprBps / 100)}.${String(aprBps % 100).padStart(2, '0')}%`;
}

/** The repayment method as the borrower reads it. */
export function methodLabel(method: RepaymentMethod): string {
  return method === 'equal_instalment' ? '等额本息' : '等额本金';
}
