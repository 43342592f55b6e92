import { randomBytes } from 'node:crypto';

/** Fresh PII key environment for one test: an active key `k2`, an older key `k1`, a blind-index key. */
export function testPiiEnv(): Record<string, string> {
  return {
    WXLEND_PII_KEYS: JSON.stringify({
      k1: randomBytes(32).toString('base64'),
      k2: randomBytes(32).toString('base64'),
    }),
    WXLEND_PII_ACTIVE_KID: 'k2',
    WXLEND_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}
