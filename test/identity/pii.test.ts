import { randomBytes } from 'node:crypto';
import {
  blindIndexOf,
  decryptPii,
  encryptPii,
  needsReencryption,
  PiiConfigError,
  PiiDecryptError,
  readPiiKeys,
  reencryptPii,
  type PiiEnvelope,
} from '../../server/pii';
import { testPiiEnv } from './pii-keys';

const key = (): string => randomBytes(32).toString('base64');

describe('PII envelope', () => {
  const keys = readPiiKeys(testPiiEnv());
  const purpose = 'borrower:o1:identity.idNumber';

  it('round-trips, including astral-plane text, with a fresh IV each time', () => {
    for (const text of ['11010519491231002X', '𠀋𡈽·张三', '']) {
      const envelope = encryptPii(keys, text, purpose);
      expect(envelope).toMatchObject({ v: 1, kid: 'k2' });
      expect(JSON.stringify(envelope)).not.toContain(text || '\u0000');
      expect(decryptPii(keys, envelope, purpose)).toBe(text);
    }
    expect(encryptPii(keys, 'x', purpose).iv).not.toBe(encryptPii(keys, 'x', purpose).iv);
  });

  it('detects a flipped bit in ciphertext, tag or IV', () => {
    const envelope = encryptPii(keys, '11010519491231002X', purpose);
    const flip = (b64: string, bit: number): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      return bytes.toString('base64');
    };
    for (const field of ['ct', 'tag', 'iv'] as const) {
      const bits = Buffer.from(envelope[field], 'base64').length * 8;
      for (const bit of [0, 7, bits - 1]) {
        const tampered: PiiEnvelope = { ...envelope, [field]: flip(envelope[field], bit) };
        expect(() => decryptPii(keys, tampered, purpose)).toThrow(PiiDecryptError);
      }
    }
  });

  it('refuses an envelope moved to another field or document (associated data)', () => {
    const envelope = encryptPii(keys, '13812345678', 'borrower:o1:identity.phone');
    expect(() => decryptPii(keys, envelope, 'borrower:o2:identity.phone')).toThrow(PiiDecryptError);
    expect(() => decryptPii(keys, envelope, 'borrower:o1:identity.name')).toThrow(PiiDecryptError);
  });

  it('refuses unknown key ids and malformed envelopes', () => {
    const envelope = encryptPii(keys, 'x', purpose);
    expect(() => decryptPii(keys, { ...envelope, kid: 'k9' }, purpose)).toThrow(/unknown key id/);
    expect(() => decryptPii(keys, 'plaintext', purpose)).toThrow(PiiDecryptError);
    expect(() => decryptPii(keys, { ...envelope, extra: 1 }, purpose)).toThrow(PiiDecryptError);
  });

  it('rotates: old envelopes open after a new key becomes active, and re-encrypt moves them', () => {
    const env = testPiiEnv();
    const before = readPiiKeys({ ...env, WXLEND_PII_ACTIVE_KID: 'k1' });
    const old = encryptPii(before, '张三', purpose);
    expect(old.kid).toBe('k1');
    const after = readPiiKeys(env); // k2 active, k1 still listed
    expect(needsReencryption(after, old)).toBe(true);
    expect(decryptPii(after, old, purpose)).toBe('张三');
    const moved = reencryptPii(after, old, purpose);
    expect(moved.kid).toBe('k2');
    expect(needsReencryption(after, moved)).toBe(false);
    expect(reencryptPii(after, moved, purpose)).toEqual(moved);
    expect(decryptPii(after, moved, purpose)).toBe('张三');
    const retired = readPiiKeys({
      ...env,
      WXLEND_PII_KEYS: JSON.stringify({ k2: JSON.parse(env.WXLEND_PII_KEYS ?? '{}').k2 }),
    });
    expect(decryptPii(retired, moved, purpose)).toBe('张三');
    expect(() => decryptPii(retired, old, purpose)).toThrow(PiiDecryptError);
  });
});

describe('blind index', () => {
  it('is deterministic per key, domain-separated, and differs under another key', () => {
    const a = readPiiKeys(testPiiEnv());
    const b = readPiiKeys(testPiiEnv());
    expect(blindIndexOf(a, 'idNumber', '11010519491231002X')).toBe(
      blindIndexOf(a, 'idNumber', '11010519491231002X'),
    );
    expect(blindIndexOf(a, 'idNumber', '11010519491231002X')).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndexOf(a, 'idNumber', '13812345678')).not.toBe(blindIndexOf(a, 'phone', '13812345678'));
    expect(blindIndexOf(a, 'phone', '13812345678')).not.toBe(blindIndexOf(b, 'phone', '13812345678'));
  });
});

describe('key configuration errors are clear and never echo key material', () => {
  const good = { WXLEND_PII_KEYS: `k1:${key()}`, WXLEND_PII_ACTIVE_KID: 'k1', WXLEND_BLIND_INDEX_KEY: key() };

  it('accepts CSV and JSON forms', () => {
    expect(readPiiKeys(good).activeKid).toBe('k1');
    expect(
      readPiiKeys({ ...good, WXLEND_PII_KEYS: `a:${key()}, b:${key()}`, WXLEND_PII_ACTIVE_KID: 'b' })
        .encryptionKeys.size,
    ).toBe(2);
  });

  it.each([
    [{ WXLEND_PII_KEYS: undefined }, /WXLEND_PII_KEYS is not set/],
    [{ WXLEND_PII_KEYS: '{bad json' }, /neither valid JSON/],
    [{ WXLEND_PII_KEYS: 'nokid' }, /kid:base64/],
    [{ WXLEND_PII_KEYS: 'k1:not*base64' }, /not base64/],
    [{ WXLEND_PII_KEYS: `k1:${randomBytes(16).toString('base64')}` }, /32 bytes, got 16/],
    [{ WXLEND_PII_KEYS: `k1:${key()},k1:${key()}` }, /appears twice/],
    [{ WXLEND_PII_ACTIVE_KID: undefined }, /WXLEND_PII_ACTIVE_KID is not set/],
    [{ WXLEND_PII_ACTIVE_KID: 'k7' }, /not one of the keys/],
    [{ WXLEND_BLIND_INDEX_KEY: undefined }, /WXLEND_BLIND_INDEX_KEY is not set/],
    [{ WXLEND_BLIND_INDEX_KEY: randomBytes(8).toString('base64') }, /at least 32 bytes/],
  ])('%j', (change, message) => {
    const env = { ...good, ...change };
    let thrown: unknown;
    try {
      readPiiKeys(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PiiConfigError);
    expect((thrown as Error).message).toMatch(message);
    const keyMaterial = Object.values(env)
      .flatMap((value) => (value ?? '').split(/[,:]/))
      .filter((part) => part.trim().length >= 8);
    for (const part of keyMaterial) expect((thrown as Error).message).not.toContain(part.trim());
  });

  it('refuses a blind-index key equal to an encryption key', () => {
    const shared = key();
    expect(() =>
      readPiiKeys({ ...good, WXLEND_PII_KEYS: `k1:${shared}`, WXLEND_BLIND_INDEX_KEY: shared }),
    ).toThrow(/must differ/);
  });
});
