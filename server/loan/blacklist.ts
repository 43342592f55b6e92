import type { StoredDoc } from '../storage/doc-store';

/** Blacklisted identities, one document per blind index (`_id` = idHash). */
export const BLACKLIST = 'riskBlacklist';

/** One blacklist entry; removing it sets `active` false so its history stays. */
export interface BlacklistDoc extends StoredDoc {
  active: boolean;
  reason: string;
  by: string;
  at: number;
}
