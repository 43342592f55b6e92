import type { Fen } from '../typings/money';

/** Largest amount the product ever handles: 10 million CNY, far below MAX_SAFE_INTEGER. */
export const MAX_FEN = 1_000_000_000;

/** True when `value` is a whole, non-negative number of fen within the product's range. */
export function isFen(value: unknown): value is Fen {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_FEN &&
    !Object.is(value, -0)
  );
}

/** Narrows a number to Fen or throws a RangeError (programming errors only; client input goes through schemas). */
export function fen(value: number): Fen {
  if (!isFen(value)) throw new RangeError(`not an amount in fen: ${String(value)}`);
  return value;
}

/** Formats fen as yuan with two decimals ("1234.50"), without ever going through a float. */
export function formatYuan(amount: Fen): string {
  const whole = Math.trunc(amount / 100);
  const cents = amount % 100;
  return `${whole}.${String(cents).padStart(2, '0')}`;
}
