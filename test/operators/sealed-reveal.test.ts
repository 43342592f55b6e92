import { createDecipheriv, createECDH, hkdfSync } from 'node:crypto';
import { SEAL_INFO, sealForRecipient } from '../../server/operators/sealed-reveal';

test('a sealed reveal carries no plaintext and opens only with the recipient private key', () => {
  const tab = createECDH('prime256v1');
  tab.generateKeys();
  const value = { name: '张三', idNumber: '110101199003071233' };
  const sealed = sealForRecipient(tab.getPublicKey().toString('base64url'), value);
  expect(JSON.stringify(sealed)).not.toMatch(/张三|110101/);
  const open = (ecdh: ReturnType<typeof createECDH>) => {
    const key = Buffer.from(
      hkdfSync(
        'sha256',
        ecdh.computeSecret(Buffer.from(sealed.epk, 'base64url')),
        Buffer.alloc(0),
        SEAL_INFO,
        32,
      ),
    );
    const body = Buffer.from(sealed.ciphertext, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return JSON.parse(
      Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8'),
    );
  };
  expect(open(tab)).toEqual(value);
  const other = createECDH('prime256v1');
  other.generateKeys();
  expect(() => open(other)).toThrow();
});
