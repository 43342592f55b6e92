/**
 * Masked forms of personal data, the only forms answers and screens ever carry (GB/T 35273: limit
 * what is displayed). Counted by code point (`Array.from`) so astral-plane characters are never
 * split into broken halves. Pure code shared by the server and the mini-program.
 */

/** Keeps `head` leading and `tail` trailing code points, one `*` for every hidden one; all stars when too short. */
export function maskMiddle(value: string, head: number, tail: number): string {
  const points = Array.from(value);
  if (points.length <= head + tail) return '*'.repeat(points.length);
  return (
    points.slice(0, head).join('') +
    '*'.repeat(points.length - head - tail) +
    points.slice(points.length - tail).join('')
  );
}

/** ID number: first and last character (`1****************X`). */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 1, 1);
}

/** Phone number: first 3 and last 4 digits (`138****5678`). */
export function maskPhone(phone: string): string {
  return maskMiddle(phone, 3, 4);
}

/** Bank card: last 4 digits only. */
export function maskBankCard(cardNumber: string): string {
  return maskMiddle(cardNumber, 0, 4);
}

/** Name: last character only (`*三`, `***曼`). */
export function maskName(name: string): string {
  return maskMiddle(name, 0, 1);
}
