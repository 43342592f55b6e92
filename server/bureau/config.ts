import { z } from 'zod';
import type { BreakerSettings } from './breaker';

/** The bureau a deployment uses: `http` (the signed HTTP protocol) or `none` (no bureau: every review goes to a person). */
export const BUREAU_KINDS = ['http', 'none'] as const;

/** The HTTP bureau's settings. */
export interface HttpBureauConfig {
  kind: 'http';
  /** Base URL without trailing slash (`WXLEND_CREDIT_BUREAU_URL`); https, or http on loopback only. */
  baseUrl: string;
  /** Our client id at the bureau (`WXLEND_CREDIT_BUREAU_CLIENT_ID`). */
  clientId: string;
  /** The shared HMAC-SHA256 signing key (`WXLEND_CREDIT_BUREAU_KEY`, base64, ≥ 32 bytes). */
  key: Buffer;
  /** Per-request timeout (`WXLEND_CREDIT_BUREAU_TIMEOUT_MS`, default 3000). */
  timeoutMs: number;
  /** `WXLEND_CREDIT_BUREAU_BREAKER` JSON, default {"failures":5,"openMs":30000}. */
  breaker: BreakerSettings;
}

/** The credit-bureau configuration of a deployment. */
export type CreditBureauConfig = HttpBureauConfig | { kind: 'none' };

/** A configuration that cannot be used; the message names the variable. */
export class CreditBureauConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreditBureauConfigError';
  }
}

const DEFAULT_BREAKER: BreakerSettings = { failures: 5, openMs: 30_000 };

const breakerSchema = z.strictObject({
  failures: z.number().int().min(1).max(100),
  openMs: z.number().int().min(1000).max(600_000),
});

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new CreditBureauConfigError(`${name} is required when WXLEND_CREDIT_BUREAU=http`);
  return value;
}

function baseUrlOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CreditBureauConfigError('WXLEND_CREDIT_BUREAU_URL must be an absolute URL');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new CreditBureauConfigError('WXLEND_CREDIT_BUREAU_URL must use https (http only on loopback)');
  return raw.replace(/\/+$/, '');
}

function breakerOf(raw: string | undefined): BreakerSettings {
  if (!raw) return DEFAULT_BREAKER;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new CreditBureauConfigError('WXLEND_CREDIT_BUREAU_BREAKER must be JSON {"failures":n,"openMs":ms}');
  }
  const result = breakerSchema.safeParse({ ...DEFAULT_BREAKER, ...(parsed as object) });
  if (!result.success)
    throw new CreditBureauConfigError(
      'WXLEND_CREDIT_BUREAU_BREAKER: failures 1–100 and openMs 1000–600000 are accepted',
    );
  return result.data;
}

/** Reads and checks the bureau configuration from the environment; throws CreditBureauConfigError. */
export function creditBureauConfig(env: NodeJS.ProcessEnv): CreditBureauConfig {
  const kind = env.WXLEND_CREDIT_BUREAU;
  if (kind === 'none') return { kind: 'none' };
  if (kind !== 'http')
    throw new CreditBureauConfigError(`WXLEND_CREDIT_BUREAU must be one of ${BUREAU_KINDS.join(' | ')}`);
  const key = Buffer.from(required(env, 'WXLEND_CREDIT_BUREAU_KEY'), 'base64');
  if (key.length < 32)
    throw new CreditBureauConfigError('WXLEND_CREDIT_BUREAU_KEY must be ≥ 32 bytes (base64)');
  const timeoutMs = Number(env.WXLEND_CREDIT_BUREAU_TIMEOUT_MS ?? 3000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 20_000)
    throw new CreditBureauConfigError('WXLEND_CREDIT_BUREAU_TIMEOUT_MS must be an integer 100–20000');
  return {
    kind: 'http',
    baseUrl: baseUrlOf(required(env, 'WXLEND_CREDIT_BUREAU_URL')),
    clientId: required(env, 'WXLEND_CREDIT_BUREAU_CLIENT_ID'),
    key,
    timeoutMs,
    breaker: breakerOf(env.WXLEND_CREDIT_BUREAU_BREAKER),
  };
}
