import { constants, publicEncrypt, type KeyObject } from 'node:crypto';

/**
 * Encrypts a sensitive request field (`user_name`) with WeChat Pay's public key or platform
 * certificate: RSA-OAEP (SHA-1, MGF1-SHA1), base64. Send the key's serial in `Wechatpay-Serial`.
 */
export function encryptSensitiveField(plaintext: string, wechatpayKey: KeyObject): string {
  return publicEncrypt(
    { key: wechatpayKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(plaintext, 'utf8'),
  ).toString('base64');
}
