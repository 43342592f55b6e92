import type { Fen } from '../../typings/money';
import { isFen } from '../../shared/money';
import { AppError } from '../runtime/app-error';

/**
 * Accepts only a JSON number that is a positive whole number of fen within range. Strings ("100",
 * "１００", "0x10"), fractions (yuan confusion), NaN, Infinity, −0, 0 and 1e21 are refused.
 */
export function parseAmount(value: unknown): Fen {
  if (typeof value !== 'number' || !isFen(value) || value === 0) {
    throw new AppError('AMOUNT_INVALID', '借款金额须为以“分”为单位的正整数');
  }
  return value;
}
