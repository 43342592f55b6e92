import { createSign, randomBytes, type KeyObject } from 'node:crypto';

/** What a merchant signs for one APIv3 request. */
export interface SignableRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path plus query string, exactly as sent (e.g. `/v3/fund-app/mch-transfer/transfer-bills`). */
  urlPath: string;
  /** The exact body bytes sent; empty for GET and bodiless POST. */
  body: string;
  /** Unix seconds. */
  timestamp: number;
  /** Random string, at most 32 characters. */
  nonce: string;
}

/** The merchant identity that signs requests. */
export interface MerchantSigner {
  mchId: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  privateKey: KeyObject;
}

/** The string APIv3 signs: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`. */
export function requestSigningMessage(request: SignableRequest): string {
  return `${request.method}\n${request.urlPath}\n${request.timestamp}\n${request.nonce}\n${request.body}\n`;
}

/** A fresh nonce_str: 32 upper-case hex characters. */
export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** The `Authorization` header value: `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",…`. */
export function buildAuthorization(signer: MerchantSigner, request: SignableRequest): string {
  const signature = createSign('RSA-SHA256')
    .update(requestSigningMessage(request), 'utf8')
    .sign(signer.privateKey, 'base64');
  return (
    `WECHATPAY2-SHA256-RSA2048 mchid="${signer.mchId}",nonce_str="${request.nonce}",` +
    `signature="${signature}",timestamp="${request.timestamp}",serial_no="${signer.serialNo}"`
  );
}
