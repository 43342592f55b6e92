import * as OTPAuth from 'otpauth';

/** TOTP parameters (RFC 6238 defaults every authenticator app understands). */
const PERIOD_S = 30;
const DIGITS = 6;
const ISSUER = 'wxlend';

function totpOf(secretBase32: string, label = 'operator'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_S,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/** A fresh 160-bit secret, base32. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app scans. */
export function totpUri(secretBase32: string, label: string): string {
  return totpOf(secretBase32, label).toString();
}

/** The code for `atMs` (tests and the demo play the operator's phone with it). */
export function totpCode(secretBase32: string, atMs: number): string {
  return totpOf(secretBase32).generate({ timestamp: atMs });
}

/**
 * The time step a code belongs to (±1 step of drift), or undefined when it is wrong. Callers refuse
 * a step at or before the last one used, so a code works once.
 */
export function totpStep(secretBase32: string, code: string, atMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: atMs, window: 1 });
  return delta === null ? undefined : Math.floor(atMs / 1000 / PERIOD_S) + delta;
}
