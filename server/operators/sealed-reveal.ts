import { createCipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** The browser's one-time ECDH P-256 public key (raw, uncompressed, base64url) a reveal is sealed to. */
export const recipientKeySchema = z.string().regex(/^[A-Za-z0-9_-]{86,88}$/);

/** Revealed data as it leaves the function: only the workbench tab holding the private key can open it. */
export interface SealedReveal {
  alg: 'ECDH-P256+HKDF-SHA256+A256GCM';
  /** The server's ephemeral public key (raw, base64url). */
  epk: string;
  iv: string;
  /** AES-GCM ciphertext with its 16-byte tag appended (as WebCrypto expects). */
  ciphertext: string;
}

/** HKDF info binding the key to its use. */
export const SEAL_INFO = 'wxlend-reveal-v1';

/**
 * Seals `value` to the recipient's key, so the function's answer (which the platform may keep in
 * its invocation logs) carries no plaintext personal data.
 */
export function sealForRecipient(recipientKey: string, value: unknown): SealedReveal {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const shared = ecdh.computeSecret(Buffer.from(recipientKey, 'base64url'));
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), SEAL_INFO, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([
    cipher.update(JSON.stringify(value), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    alg: 'ECDH-P256+HKDF-SHA256+A256GCM',
    epk: ecdh.getPublicKey().toString('base64url'),
    iv: iv.toString('base64url'),
    ciphertext: body.toString('base64url'),
  };
}
