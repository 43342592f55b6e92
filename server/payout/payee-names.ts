import type { DocStore } from '../storage/doc-store';
import { revealIdentity } from '../identity/borrower-access';
import { piiKeysFromEnv } from '../pii';
import type { PayeeNames } from './ports';

/**
 * The payee's verified real name from the identity domain, decrypted only to be encrypted again
 * for WeChat (`user_name`, required from 2,000 CNY); never stored or logged in plaintext.
 */
export function identityPayeeNames(docs: DocStore, env: NodeJS.ProcessEnv = process.env): PayeeNames {
  return {
    async realNameOf(openid: string) {
      const identity = await revealIdentity(
        { store: docs, keys: piiKeysFromEnv(env) },
        openid,
        'payout: user_name for a transfer of 2,000 CNY or more',
      );
      return identity.name;
    },
  };
}
