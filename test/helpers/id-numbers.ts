const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A well-formed mainland ID number (valid check digit) for test person `n`: Beijing, born 1990-01-01. */
export function testIdNumber(n: number): string {
  const body = `11010119900101${String(n % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return `${body}${CHECK[sum % 11]}`;
}
