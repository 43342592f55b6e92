import { z } from 'zod';
import type { Fen } from '../../typings/money';
import type { PayoutSettings } from './ports';

const HOUR = 3_600_000;

/** Defaults: WeChat closes unconfirmed bills after 24 h; the rest is product policy. */
export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = {
  maxAttempts: 3,
  confirmWindowMs: 24 * HOUR,
  closeGraceMs: 2 * HOUR,
  escalateAfterMs: 72 * HOUR,
  resendIntentAfterMs: 60_000,
  realNameThresholdFen: 200_000 as Fen,
};

const overrides = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    confirmWindowMs: z.number().int().positive(),
    closeGraceMs: z.number().int().min(0),
    escalateAfterMs: z.number().int().positive(),
    resendIntentAfterMs: z.number().int().min(0),
    realNameThresholdFen: z.number().int().positive(),
  })
  .partial()
  .strict();

/** Settings from `WXLEND_PAYOUT_SETTINGS` (JSON, any subset) over the defaults; throws naming the bad field. */
export function payoutSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PayoutSettings {
  const text = env.WXLEND_PAYOUT_SETTINGS;
  if (!text) return DEFAULT_PAYOUT_SETTINGS;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('WXLEND_PAYOUT_SETTINGS is not valid JSON');
  }
  const parsed = overrides.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `WXLEND_PAYOUT_SETTINGS invalid — ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  return { ...DEFAULT_PAYOUT_SETTINGS, ...parsed.data } as PayoutSettings;
}
