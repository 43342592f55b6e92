import { evalExpr } from 'mingo/core';
import { $substrBytes as mingoSubstrBytes } from 'mingo/operators/expression';
import type { Options } from 'mingo/types/types';
import { DbError, DbErrorCode } from '../errors';

/** A mingo expression operator: evaluates `expr` against `obj`. */
type ExpressionOp = (obj: Record<string, unknown>, expr: unknown, options: Options) => unknown;

const DAY_MS = 86_400_000;

function invalid(message: string): DbError {
  return new DbError(DbErrorCode.invalidOperator, message);
}

/**
 * `$substrBytes` / `$substr` as MongoDB: a negative count means "to the end of the string"
 * (mingo refuses it); everything else is mingo's own byte-accurate implementation.
 */
export const $substrBytes: ExpressionOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length !== 3) throw invalid('$substrBytes expects [string, start, count]');
  const [s, start, count] = evalExpr(obj, expr, options) as [unknown, unknown, unknown];
  let length = count;
  if (typeof count === 'number' && Number.isInteger(count) && count < 0) {
    const bytes = typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0;
    length = Math.max(0, bytes - (typeof start === 'number' ? start : 0));
  }
  return mingoSubstrBytes(obj, [{ $literal: s }, { $literal: start }, { $literal: length }], options);
};

/** `$indexOfCP`: the code-point index of the first occurrence of a substring, or -1 (null for a null string). */
export const $indexOfCP: ExpressionOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4)
    throw invalid('$indexOfCP expects [string, substring, start?, end?]');
  const [s, sub, start, end] = evalExpr(obj, expr, options) as unknown[];
  if (s === null || s === undefined) return null;
  if (typeof s !== 'string') throw invalid('$indexOfCP requires a string as the first argument');
  if (typeof sub !== 'string') throw invalid('$indexOfCP requires a string as the second argument');
  for (const bound of [start, end])
    if (bound !== undefined && (typeof bound !== 'number' || !Number.isInteger(bound) || bound < 0))
      throw invalid('$indexOfCP start and end must be non-negative integers');
  const points = Array.from(s);
  const needle = Array.from(sub);
  const from = (start as number | undefined) ?? 0;
  const to = Math.min((end as number | undefined) ?? points.length, points.length);
  for (let i = from; i + needle.length <= to; i += 1)
    if (needle.every((c, k) => points[i + k] === c)) return i;
  return -1;
};

/** Resolves a date operand: a date, or `{ date, timezone }` with a ±HH:MM offset (UTC when none). */
function dateOperand(obj: Record<string, unknown>, expr: unknown, options: Options): Date | null {
  const value = evalExpr(obj, expr, options) as unknown;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (value && typeof value === 'object' && 'date' in value) {
    const { date, timezone } = value as { date: unknown; timezone?: unknown };
    if (!(date instanceof Date)) throw invalid('$week needs a date');
    if (timezone === undefined || timezone === 'UTC' || timezone === 'GMT') return date;
    const match = typeof timezone === 'string' ? /^([+-])(\d{2}):?(\d{2})$/.exec(timezone) : null;
    if (!match) throw invalid(`$week: unsupported timezone ${String(timezone)} (use a ±HH:MM offset)`);
    const sign = match[1] === '-' ? -1 : 1;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return new Date(date.getTime() + sign * minutes * 60_000);
  }
  throw invalid('$week needs a date');
}

/**
 * `$week` as MongoDB: weeks start on Sunday; days before the year's first Sunday are week 0
 * (mingo counts one more). 2019-05-14 is week 19.
 */
export const $week: ExpressionOp = (obj, expr, options) => {
  const date = dateOperand(obj, expr, options);
  if (!date) return null;
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - yearStart) / DAY_MS);
  return Math.floor((dayOfYear - date.getUTCDay() + 7) / 7);
};
