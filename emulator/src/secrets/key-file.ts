import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The local PII keys as kept in the data folder (`secrets/pii-keys.json`, mode 0600). */
export interface LocalPiiKeys {
  /** kid → base64 32-byte AES key. */
  encryptionKeys: Record<string, string>;
  activeKid: string;
  /** base64 32-byte HMAC key. */
  blindIndexKey: string;
  /** kid → base64 32-byte HMAC key of the audit chains (added to older key files on start). */
  auditKeys: Record<string, string>;
  auditActiveKid: string;
}

const keyFileSchema = z.object({
  encryptionKeys: z.record(z.string(), z.string()),
  activeKid: z.string().min(1),
  blindIndexKey: z.string().min(1),
  auditKeys: z.record(z.string(), z.string()).optional(),
  auditActiveKid: z.string().min(1).optional(),
});

/** Where the keys live inside the data folder. */
export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'pii-keys.json');
}

/** Fresh random keys: one encryption key `local-1` and a blind-index key. */
export function generateLocalKeys(): LocalPiiKeys {
  return {
    encryptionKeys: { 'local-1': randomBytes(32).toString('base64') },
    activeKid: 'local-1',
    blindIndexKey: randomBytes(32).toString('base64'),
    auditKeys: { 'audit-1': randomBytes(32).toString('base64') },
    auditActiveKid: 'audit-1',
  };
}

/**
 * Reads the keys, creating them on first start. They survive restarts (data stored under them
 * must stay readable) and are never reset with the data: `reset` empties collections, not keys.
 */
export function loadOrCreateKeys(dataDir: string): LocalPiiKeys {
  const file = keyFilePath(dataDir);
  if (fs.existsSync(file)) {
    const parsed = keyFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is not a valid key file; delete it to generate new keys`);
    const { auditKeys, auditActiveKid, ...pii } = parsed.data;
    if (auditKeys && auditActiveKid) return { ...pii, auditKeys, auditActiveKid };
    // A key file from before the audit keys: add them once, keeping every other key as it was.
    const completed = { ...pii, auditKeys: generateLocalKeys().auditKeys, auditActiveKid: 'audit-1' };
    fs.writeFileSync(file, `${JSON.stringify(completed, null, 2)}\n`, { mode: 0o600 });
    return completed;
  }
  const keys = generateLocalKeys();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return keys;
}

/** The environment variables server/pii reads. */
export function keysAsEnv(keys: LocalPiiKeys): Record<string, string> {
  return {
    WXLEND_PII_KEYS: JSON.stringify(keys.encryptionKeys),
    WXLEND_PII_ACTIVE_KID: keys.activeKid,
    WXLEND_BLIND_INDEX_KEY: keys.blindIndexKey,
    WXLEND_AUDIT_KEYS: JSON.stringify(keys.auditKeys),
    WXLEND_AUDIT_ACTIVE_KID: keys.auditActiveKid,
  };
}
