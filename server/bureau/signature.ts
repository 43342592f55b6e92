import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Request headers of the signed credit-bureau protocol (docs/credit-bureau.md). */
export const BUREAU_HEADERS = {
  client: 'x-bureau-client-id',
  timestamp: 'x-bureau-timestamp',
  nonce: 'x-bureau-nonce',
  signature: 'x-bureau-signature',
} as const;

/** How far a request's timestamp may be from the bureau's clock, in seconds. */
export const BUREAU_TIMESTAMP_WINDOW_S = 300;

/** The signed string: `<timestamp>\n<nonce>\n<body>` (timestamp in unix seconds, body exactly as sent). */
export function bureauSigningString(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}`;
}

/** Lower-case hex HMAC-SHA256 of the signing string with the shared key. */
export function bureauSignature(key: Buffer, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', key)
    .update(bureauSigningString(timestamp, nonce, body), 'utf8')
    .digest('hex');
}

/** A fresh nonce: 16 random bytes as 32 hex characters. */
export function bureauNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The four signature headers of one request body at `nowMs` with a single-use `nonce`. */
export function signedBureauHeaders(
  key: Buffer,
  clientId: string,
  body: string,
  request: { nowMs: number; nonce: string },
): Record<string, string> {
  const timestamp = String(Math.floor(request.nowMs / 1000));
  const nonce = request.nonce;
  return {
    [BUREAU_HEADERS.client]: clientId,
    [BUREAU_HEADERS.timestamp]: timestamp,
    [BUREAU_HEADERS.nonce]: nonce,
    [BUREAU_HEADERS.signature]: bureauSignature(key, timestamp, nonce, body),
  };
}

/** Whether `signature` is the signature of this request (constant-time comparison). */
export function bureauSignatureMatches(
  key: Buffer,
  request: { timestamp: string; nonce: string; body: string; signature: string },
): boolean {
  const expected = Buffer.from(bureauSignature(key, request.timestamp, request.nonce, request.body), 'hex');
  const given = /^[0-9a-f]{64}$/.test(request.signature) ? Buffer.from(request.signature, 'hex') : undefined;
  return given !== undefined && timingSafeEqual(expected, given);
}
