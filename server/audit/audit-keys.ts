import { decodeKey, keyEntries, PiiConfigError } from '../pii/key-config';

/**
 * Keys of the audit chains' HMAC, from the environment (never the database):
 * - `WXLEND_AUDIT_KEYS`: every known key, JSON `{"kid":"<base64 ≥ 32 bytes>"}` or CSV `kid:base64`;
 *   old keys stay listed after a rotation so links made under them still verify.
 * - `WXLEND_AUDIT_ACTIVE_KID`: the key new links and seals are made with.
 */
export interface AuditKeys {
  keys: ReadonlyMap<string, Buffer>;
  activeKid: string;
}

const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Reads and checks the audit keys; throws a configuration error naming the variable. */
export function readAuditKeys(env: NodeJS.ProcessEnv = process.env): AuditKeys {
  const text = env.WXLEND_AUDIT_KEYS;
  if (!text?.trim()) throw new PiiConfigError('WXLEND_AUDIT_KEYS is not set');
  const keys = new Map<string, Buffer>();
  for (const [kid, value] of keyEntries(text, 'WXLEND_AUDIT_KEYS')) {
    if (!KID_PATTERN.test(kid))
      throw new PiiConfigError(
        `WXLEND_AUDIT_KEYS: key id "${kid.slice(0, 32)}" is not 1–32 of A-Z a-z 0-9 _ -`,
      );
    if (keys.has(kid)) throw new PiiConfigError(`WXLEND_AUDIT_KEYS: key id ${kid} appears twice`);
    keys.set(kid, decodeKey('WXLEND_AUDIT_KEYS', `key ${kid}`, value, 32));
  }
  const activeKid = env.WXLEND_AUDIT_ACTIVE_KID?.trim();
  if (!activeKid) throw new PiiConfigError('WXLEND_AUDIT_ACTIVE_KID is not set');
  if (!keys.has(activeKid))
    throw new PiiConfigError(
      `WXLEND_AUDIT_ACTIVE_KID ${activeKid.slice(0, 32)} is not one of WXLEND_AUDIT_KEYS`,
    );
  return { keys, activeKid };
}

let cached: { text: string; keys: AuditKeys } | undefined;

/** The audit keys of this process's environment, parsed once per distinct setting. */
export function auditKeys(env: NodeJS.ProcessEnv = process.env): AuditKeys {
  const text = `${env.WXLEND_AUDIT_KEYS ?? ''}\u0000${env.WXLEND_AUDIT_ACTIVE_KID ?? ''}`;
  if (cached?.text !== text) cached = { text, keys: readAuditKeys(env) };
  return cached.keys;
}
