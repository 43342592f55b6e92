import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../../shared/identity-policy';
import type { IdentityVerifierKind } from '../../typings/identity';

/** How this lender verifies identities; every field from the function's environment. */
export interface IdentityConfig {
  /** `WXLEND_IDENTITY_VERIFIER`: `face` (licensed lenders) or `ocr_phone` (default). */
  verifier: IdentityVerifierKind;
  /** `WXLEND_IDENTITY_MIN_AGE`, `WXLEND_IDENTITY_MAX_AGE`, `WXLEND_IDENTITY_ACCEPT_PERMITS` (`1`/`0`). */
  policy: IdentityPolicy;
  /** `WXLEND_IDENTITY_DAILY_ATTEMPTS`: verification attempts per openid per China calendar day. */
  dailyAttempts: number;
}

/** The configuration is unusable: the function must not start. */
export class IdentityConfigError extends Error {
  constructor(message: string) {
    super(`identity configuration: ${message}`);
    this.name = 'IdentityConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    throw new IdentityConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** Reads the configuration, with the documented defaults. */
export function identityConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const verifier = env.WXLEND_IDENTITY_VERIFIER?.trim() || 'ocr_phone';
  if (verifier !== 'face' && verifier !== 'ocr_phone')
    throw new IdentityConfigError('WXLEND_IDENTITY_VERIFIER must be face or ocr_phone');
  const permits = env.WXLEND_IDENTITY_ACCEPT_PERMITS?.trim();
  if (permits !== undefined && permits !== '' && permits !== '0' && permits !== '1')
    throw new IdentityConfigError('WXLEND_IDENTITY_ACCEPT_PERMITS must be 1 or 0');
  const policy: IdentityPolicy = {
    minAge: integer(env, 'WXLEND_IDENTITY_MIN_AGE', DEFAULT_IDENTITY_POLICY.minAge, 16, 100),
    maxAge: integer(env, 'WXLEND_IDENTITY_MAX_AGE', DEFAULT_IDENTITY_POLICY.maxAge, 16, 120),
    acceptResidencePermits: permits ? permits === '1' : DEFAULT_IDENTITY_POLICY.acceptResidencePermits,
  };
  if (policy.minAge > policy.maxAge)
    throw new IdentityConfigError('WXLEND_IDENTITY_MIN_AGE must not exceed WXLEND_IDENTITY_MAX_AGE');
  return { verifier, policy, dailyAttempts: integer(env, 'WXLEND_IDENTITY_DAILY_ATTEMPTS', 5, 1, 100) };
}
