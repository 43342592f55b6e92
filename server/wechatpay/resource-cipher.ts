import { createDecipheriv } from 'node:crypto';
import { WechatPayError } from './errors';

/** The encrypted `resource` of an APIv3 notification. */
export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  original_type?: string;
  nonce: string;
}

const TAG_BYTES = 16;

/**
 * Decrypts an AEAD_AES_256_GCM resource with the 32-byte APIv3 key: base64 ciphertext whose last
 * 16 bytes are the tag, the 12-byte `nonce` and `associated_data` as AAD. Throws RESOURCE_DECRYPT_FAILED
 * on any tampering.
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new WechatPayError('RESOURCE_DECRYPT_FAILED', `unsupported algorithm ${resource.algorithm}`);
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new WechatPayError('CONFIG_INVALID', 'the APIv3 key must be 32 bytes');
  const sealed = Buffer.from(resource.ciphertext, 'base64');
  if (sealed.length <= TAG_BYTES) throw new WechatPayError('RESOURCE_DECRYPT_FAILED', 'ciphertext too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    throw new WechatPayError('RESOURCE_DECRYPT_FAILED', 'resource does not decrypt with the APIv3 key');
  }
}
