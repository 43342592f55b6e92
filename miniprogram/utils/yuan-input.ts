import type { Fen } from '../../typings/money';

/** Parses what the borrower typed in yuan ("3000", "3000.5", "3000.50") to fen without floats; undefined when not an amount. */
export function parseYuanInput(text: string): Fen | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return (whole * 100 + cents) as Fen;
}
