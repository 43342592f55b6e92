import { createVerify } from 'node:crypto';
import { WechatPayError } from './errors';
import type { WechatPayKeyring } from './keyring';

/** How far `Wechatpay-Timestamp` may be from our clock, in either direction. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Prefix of probe signatures WeChat sends to catch merchants who skip verification. */
export const PROBE_SIGNATURE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** Headers of a signed answer or notification (any case; arrays from node take the first value). */
export type SignedHeaders = Record<string, string | string[] | undefined>;

/** The four signing headers, read case-insensitively. */
export interface WechatpaySignatureHeaders {
  signature: string;
  timestamp: string;
  nonce: string;
  serial: string;
}

function header(headers: SignedHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Reads `Wechatpay-Signature/-Timestamp/-Nonce/-Serial`; throws SIGNATURE_HEADERS_MISSING. */
export function readSignatureHeaders(headers: SignedHeaders): WechatpaySignatureHeaders {
  const signature = header(headers, 'Wechatpay-Signature');
  const timestamp = header(headers, 'Wechatpay-Timestamp');
  const nonce = header(headers, 'Wechatpay-Nonce');
  const serial = header(headers, 'Wechatpay-Serial');
  if (!signature || !timestamp || !nonce || !serial)
    throw new WechatPayError('SIGNATURE_HEADERS_MISSING', 'Wechatpay-* signature headers are missing');
  return { signature, timestamp, nonce, serial };
}

/**
 * Verifies a WeChat Pay answer or notification: `timestamp\nnonce\nbody\n` over the raw body,
 * RSA-SHA256 with the key chosen by `Wechatpay-Serial`. Rejects probe signatures, unknown serials
 * and timestamps more than 5 minutes off either way. Returns the serial that verified.
 */
export function verifyWechatpaySignature(options: {
  headers: SignedHeaders;
  /** Raw body exactly as received (decode base64 integration events first). */
  body: Buffer | string;
  keyring: WechatPayKeyring;
  /** Our clock, epoch ms. */
  nowMs: number;
}): string {
  const signed = readSignatureHeaders(options.headers);
  if (signed.signature.startsWith(PROBE_SIGNATURE_PREFIX))
    throw new WechatPayError('SIGNATURE_PROBE', 'probe signature (WECHATPAY/SIGNTEST/) rejected');
  if (!/^\d{1,12}$/.test(signed.timestamp))
    throw new WechatPayError('SIGNATURE_HEADERS_MISSING', 'Wechatpay-Timestamp is not unix seconds');
  const skew = Math.abs(Math.floor(options.nowMs / 1000) - Number(signed.timestamp));
  if (skew > SIGNATURE_TOLERANCE_SECONDS)
    throw new WechatPayError('TIMESTAMP_OUT_OF_WINDOW', `signature timestamp is ${skew}s away from now`);
  const key = options.keyring.get(signed.serial);
  if (!key) throw new WechatPayError('UNKNOWN_SERIAL', 'Wechatpay-Serial names no loaded key');
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const message = Buffer.concat([
    Buffer.from(`${signed.timestamp}\n${signed.nonce}\n`, 'utf8'),
    body,
    Buffer.from('\n'),
  ]);
  const valid = createVerify('RSA-SHA256').update(message).verify(key, signed.signature, 'base64');
  if (!valid) throw new WechatPayError('SIGNATURE_INVALID', 'WeChat Pay signature does not verify');
  return signed.serial;
}
