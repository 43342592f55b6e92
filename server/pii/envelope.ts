import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PiiKeys } from './key-config';

/**
 * One encrypted personal-data field: AES-256-GCM with a random 96-bit IV, the key id that sealed it,
 * and associated data binding it to its place (`purpose`, e.g. `borrower:<openid>:idNumber`), so a
 * ciphertext copied into another field or document no longer opens.
 */
export interface PiiEnvelope {
  /** Format version. */
  v: 1;
  /** Key id in WXLEND_PII_KEYS. */
  kid: string;
  /** base64 12-byte IV. */
  iv: string;
  /** base64 ciphertext. */
  ct: string;
  /** base64 16-byte GCM tag. */
  tag: string;
}

/** Schema of a stored envelope (what comes back from the database is untrusted). */
export const piiEnvelopeSchema = z.strictObject({
  v: z.literal(1),
  kid: z.string().min(1).max(32),
  iv: z.base64(),
  ct: z.base64(),
  tag: z.base64(),
});

/** An envelope did not open: unknown key, wrong place, or the bytes were changed. */
export class PiiDecryptError extends Error {
  constructor(reason: string) {
    super(`personal data envelope rejected: ${reason}`);
    this.name = 'PiiDecryptError';
  }
}

function aad(purpose: string): Buffer {
  return Buffer.from(`wxlend-pii:v1:${purpose}`, 'utf8');
}

/** Seals `plaintext` under the active key. */
export function encryptPii(keys: PiiKeys, plaintext: string, purpose: string): PiiEnvelope {
  const key = keys.encryptionKeys.get(keys.activeKid);
  if (!key) throw new PiiDecryptError('active key missing');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(purpose));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    kid: keys.activeKid,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens an envelope sealed under any known key; throws PiiDecryptError on any mismatch. */
export function decryptPii(keys: PiiKeys, stored: unknown, purpose: string): string {
  const parsed = piiEnvelopeSchema.safeParse(stored);
  if (!parsed.success) throw new PiiDecryptError('not an envelope');
  const envelope = parsed.data;
  const key = keys.encryptionKeys.get(envelope.kid);
  if (!key) throw new PiiDecryptError(`unknown key id ${envelope.kid}`);
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw new PiiDecryptError('bad IV or tag length');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad(purpose));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(envelope.ct, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new PiiDecryptError('authentication failed');
  }
}

/** True when the envelope was sealed under a key other than the active one. */
export function needsReencryption(keys: PiiKeys, stored: unknown): boolean {
  const parsed = piiEnvelopeSchema.safeParse(stored);
  return !parsed.success || parsed.data.kid !== keys.activeKid;
}

/** Key rotation: opens with whichever key sealed it and reseals under the active key (unchanged if already active). */
export function reencryptPii(keys: PiiKeys, stored: unknown, purpose: string): PiiEnvelope {
  const plaintext = decryptPii(keys, stored, purpose);
  if (!needsReencryption(keys, stored)) return piiEnvelopeSchema.parse(stored) as PiiEnvelope;
  return encryptPii(keys, plaintext, purpose);
}
