import { createHmac, randomBytes } from 'node:crypto';

/**
 * RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) on node:crypto: every authenticator app understands it.
 * Written out (≈30 lines) because the function bundle budget (300 KB) has no room for a library;
 * test/operators/totp.test.ts checks it against the `otpauth` library code for code.
 */
const PERIOD_S = 30;
const DIGITS = 6;
const ISSUER = 'wxlend';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

function codeAtStep(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 15;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/** A fresh 160-bit secret, base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secretBase32: string, label: string): string {
  const params = new URLSearchParams({
    issuer: ISSUER,
    secret: secretBase32,
    algorithm: 'SHA1',
    digits: String(DIGITS),
    period: String(PERIOD_S),
  });
  return `otpauth://totp/${encodeURIComponent(ISSUER)}:${encodeURIComponent(label)}?${params.toString()}`;
}

/** The code for `atMs` (tests and the demo play the operator's phone with it). */
export function totpCode(secretBase32: string, atMs: number): string {
  return codeAtStep(base32Decode(secretBase32), Math.floor(atMs / 1000 / PERIOD_S));
}

/**
 * The time step a code belongs to (±1 step of drift), or undefined when it is wrong. Callers refuse
 * a step at or before the last one used, so a code works once.
 */
export function totpStep(secretBase32: string, code: string, atMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const secret = base32Decode(secretBase32);
  const now = Math.floor(atMs / 1000 / PERIOD_S);
  for (const step of [now - 1, now, now + 1]) {
    const expected = codeAtStep(secret, step);
    if (expected.length === code.length && timingSafe(expected, code)) return step;
  }
  return undefined;
}

function timingSafe(a: string, b: string): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
