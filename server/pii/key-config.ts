/**
 * Keys for personal data at rest, from the environment:
 * - `WXLEND_PII_KEYS`: every known encryption key, as JSON `{"kid":"<base64 32 bytes>"}` or CSV
 *   `kid:base64,kid2:base64`. Old keys stay listed after a rotation so old envelopes still open.
 * - `WXLEND_PII_ACTIVE_KID`: the key new envelopes are sealed with.
 * - `WXLEND_BLIND_INDEX_KEY`: base64, ≥ 32 bytes, its own key so lookups never need the
 *   encryption keys. It cannot rotate without re-indexing every stored hash.
 * Errors name the variable and the problem, never a key.
 */

/** Everything server/pii needs. */
export interface PiiKeys {
  /** kid → 32-byte AES-256 key. */
  encryptionKeys: ReadonlyMap<string, Buffer>;
  /** The kid new envelopes use; always present in `encryptionKeys`. */
  activeKid: string;
  /** HMAC-SHA256 key of the blind index. */
  blindIndexKey: Buffer;
}

/** The keys are missing or malformed: the function must not start. */
export class PiiConfigError extends Error {
  constructor(message: string) {
    super(`PII key configuration: ${message}`);
    this.name = 'PiiConfigError';
  }
}

const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Decodes one base64 key, checking its length; errors name the variable, never the key. */
export function decodeKey(
  variable: string,
  label: string,
  text: string,
  minBytes: number,
  exactBytes?: number,
): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim()))
    throw new PiiConfigError(`${variable}: ${label} is not base64`);
  const key = Buffer.from(text.trim(), 'base64');
  if (exactBytes !== undefined && key.length !== exactBytes)
    throw new PiiConfigError(`${variable}: ${label} must decode to ${exactBytes} bytes, got ${key.length}`);
  if (key.length < minBytes)
    throw new PiiConfigError(
      `${variable}: ${label} must decode to at least ${minBytes} bytes, got ${key.length}`,
    );
  return key;
}

/** The `kid → base64` entries of a JSON object or `kid:base64` CSV key list. */
export function keyEntries(text: string, variable = 'WXLEND_PII_KEYS'): Array<[string, string]> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new PiiConfigError(`${variable} is neither valid JSON nor kid:base64 CSV`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new PiiConfigError(`${variable} JSON must be an object of kid → base64 key`);
    return Object.entries(parsed).map(([kid, value]) => {
      if (typeof value !== 'string') throw new PiiConfigError(`${variable}: key ${kid} is not a string`);
      return [kid, value];
    });
  }
  return trimmed.split(',').map((part) => {
    const at = part.indexOf(':');
    if (at <= 0) throw new PiiConfigError(`${variable} CSV entries must look like kid:base64`);
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
  });
}

/** Reads and checks the keys; throws PiiConfigError with a clear message. */
export function readPiiKeys(env: NodeJS.ProcessEnv = process.env): PiiKeys {
  const keysText = env.WXLEND_PII_KEYS;
  if (!keysText?.trim()) throw new PiiConfigError('WXLEND_PII_KEYS is not set');
  const encryptionKeys = new Map<string, Buffer>();
  for (const [kid, value] of keyEntries(keysText)) {
    if (!KID_PATTERN.test(kid))
      throw new PiiConfigError(
        `WXLEND_PII_KEYS: key id "${kid.slice(0, 32)}" is not 1–32 of A-Z a-z 0-9 _ -`,
      );
    if (encryptionKeys.has(kid)) throw new PiiConfigError(`WXLEND_PII_KEYS: key id ${kid} appears twice`);
    encryptionKeys.set(kid, decodeKey('WXLEND_PII_KEYS', `key ${kid}`, value, 32, 32));
  }
  if (encryptionKeys.size === 0) throw new PiiConfigError('WXLEND_PII_KEYS lists no key');
  const activeKid = env.WXLEND_PII_ACTIVE_KID?.trim();
  if (!activeKid) throw new PiiConfigError('WXLEND_PII_ACTIVE_KID is not set');
  if (!encryptionKeys.has(activeKid))
    throw new PiiConfigError(
      `WXLEND_PII_ACTIVE_KID ${activeKid.slice(0, 32)} is not one of the keys in WXLEND_PII_KEYS`,
    );
  const indexText = env.WXLEND_BLIND_INDEX_KEY;
  if (!indexText?.trim()) throw new PiiConfigError('WXLEND_BLIND_INDEX_KEY is not set');
  const blindIndexKey = decodeKey('WXLEND_BLIND_INDEX_KEY', 'the key', indexText, 32);
  if ([...encryptionKeys.values()].some((key) => key.equals(blindIndexKey)))
    throw new PiiConfigError('WXLEND_BLIND_INDEX_KEY must differ from every encryption key');
  return { encryptionKeys, activeKid, blindIndexKey };
}
