import {
  constants,
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';

/** The fields of a `WECHATPAY2-SHA256-RSA2048` Authorization header. */
export interface ParsedAuthorization {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

const SCHEME = 'WECHATPAY2-SHA256-RSA2048 ';

/** Parses the merchant's Authorization header; undefined when it is not the APIv3 scheme. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header?.startsWith(SCHEME)) return undefined;
  const fields = new Map<string, string>();
  for (const match of header.slice(SCHEME.length).matchAll(/(\w+)="([^"]*)"/g)) {
    if (match[1] !== undefined && match[2] !== undefined) fields.set(match[1], match[2]);
  }
  const get = (name: string): string | undefined => fields.get(name);
  const mchid = get('mchid');
  const nonce = get('nonce_str');
  const signature = get('signature');
  const timestamp = get('timestamp');
  const serial = get('serial_no');
  if (!mchid || !nonce || !signature || !timestamp || !serial) return undefined;
  return { mchid, nonce_str: nonce, signature, timestamp, serial_no: serial };
}

/** Checks a merchant request signature over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`. */
export function merchantSignatureValid(options: {
  auth: ParsedAuthorization;
  method: string;
  url: string;
  body: string;
  merchantPublicKeyPem: string;
}): boolean {
  const message = `${options.method}\n${options.url}\n${options.auth.timestamp}\n${options.auth.nonce_str}\n${options.body}\n`;
  try {
    return createVerify('RSA-SHA256')
      .update(message, 'utf8')
      .verify(createPublicKey(options.merchantPublicKeyPem), options.auth.signature, 'base64');
  } catch {
    return false;
  }
}

/** The four headers WeChat Pay signs answers and notifications with. */
export interface WechatpaySigningHeaders {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Signature': string;
  'Wechatpay-Serial': string;
}

/** Signs `timestamp\nnonce\nbody\n` with the platform (or public-key) private key. */
export function signingHeaders(options: {
  body: string;
  timestampSeconds: number;
  serial: string;
  privateKeyPem: string;
}): WechatpaySigningHeaders {
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${options.timestampSeconds}\n${nonce}\n${options.body}\n`, 'utf8')
    .sign(createPrivateKey(options.privateKeyPem), 'base64');
  return {
    'Wechatpay-Timestamp': String(options.timestampSeconds),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': options.serial,
  };
}

/** A probe signature as WeChat sends to catch merchants who skip verification. */
export function probeSignature(): string {
  return `WECHATPAY/SIGNTEST/${randomBytes(24).toString('base64')}`;
}

/** Encrypts a notification resource: AEAD_AES_256_GCM, 12-char nonce, tag appended, base64. */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  associatedData: string,
): { ciphertext: string; nonce: string } {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: sealed.toString('base64'), nonce };
}

/** Decrypts an RSA-OAEP (SHA-1) sensitive field; undefined when it does not decrypt. */
export function decryptSensitiveField(ciphertext: string, privateKeyPem: string): string | undefined {
  try {
    return privateDecrypt(
      { key: createPrivateKey(privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(ciphertext, 'base64'),
    ).toString('utf8');
  } catch {
    return undefined;
  }
}
