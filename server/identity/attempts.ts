import { chinaDateOf, formatDate } from '../../shared/china-date';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { attemptsId, IDENTITY_COLLECTIONS, type IdentityAttemptsDoc } from './records';

/**
 * Counts one verification attempt for today (China date) or refuses with VERIFY_RATE_LIMITED.
 * Runs before any WeChat call, so floods cost no verification quota.
 */
export async function countVerificationAttempt(deps: IdentityDeps, openid: string): Promise<void> {
  const now = deps.clock.now();
  const day = formatDate(chinaDateOf(now));
  const id = attemptsId(openid, day);
  await deps.store.transact(async (tx) => {
    const current = await tx.get<IdentityAttemptsDoc>(IDENTITY_COLLECTIONS.attempts, id);
    const count = current?.count ?? 0;
    if (count >= deps.config.dailyAttempts) throw identityError('VERIFY_RATE_LIMITED');
    const next: IdentityAttemptsDoc = { _id: id, openid, day, count: count + 1, updatedAt: now };
    await tx.put(IDENTITY_COLLECTIONS.attempts, next);
  });
}
