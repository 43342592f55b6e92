import { readPiiKeys, type PiiKeys } from './key-config';

export { blindIndexOf, type BlindIndexKind } from './blind-index';
export {
  decryptPii,
  encryptPii,
  needsReencryption,
  piiEnvelopeSchema,
  PiiDecryptError,
  reencryptPii,
  type PiiEnvelope,
} from './envelope';
export { PiiConfigError, readPiiKeys, type PiiKeys } from './key-config';

let cached: { source: string; keys: PiiKeys } | undefined;

/** The keys from this process's environment, parsed once per distinct configuration. */
export function piiKeysFromEnv(env: NodeJS.ProcessEnv = process.env): PiiKeys {
  const source = [env.WXLEND_PII_KEYS, env.WXLEND_PII_ACTIVE_KID, env.WXLEND_BLIND_INDEX_KEY].join('\u0000');
  if (cached?.source !== source) cached = { source, keys: readPiiKeys(env) };
  return cached.keys;
}
