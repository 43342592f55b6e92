import { WechatPayError } from './errors';

/** A WeChat Pay public key or platform certificate, named by what arrives in `Wechatpay-Serial`. */
export interface WechatPayVerificationKey {
  /** `PUB_KEY_ID_…` for a WeChat Pay public key, or the platform certificate's serial number. */
  serial: string;
  /** PEM: a public key (`BEGIN PUBLIC KEY`) or an X.509 certificate (`BEGIN CERTIFICATE`). */
  pem: string;
}

/** Everything the merchant-side library needs; read from `WECHATPAY_*` variables by `wechatPayConfigFromEnv`. */
export interface WechatPayConfig {
  /** API origin without trailing slash (`WECHATPAY_BASE_URL`, default https://api.mch.weixin.qq.com). */
  baseUrl: string;
  /** Merchant number (`WECHATPAY_MCH_ID`). */
  mchId: string;
  /** AppID the payees' openids belong to (`WECHATPAY_APP_ID`). */
  appId: string;
  /** Serial number of the merchant API certificate (`WECHATPAY_MCH_SERIAL_NO`). */
  mchSerialNo: string;
  /** Merchant API private key, PKCS#8 PEM (`WECHATPAY_MCH_PRIVATE_KEY`; `\n` escapes allowed). */
  mchPrivateKeyPem: string;
  /** The 32-byte APIv3 key that decrypts notification resources (`WECHATPAY_APIV3_KEY`). */
  apiV3Key: string;
  /**
   * Keys that verify WeChat Pay's signatures. Both kinds may be loaded at once because WeChat
   * switches from platform certificates to public keys gradually (`WECHATPAY_PUBLIC_KEY_ID` +
   * `WECHATPAY_PUBLIC_KEY`, and/or `WECHATPAY_PLATFORM_CERT_SERIAL` + `WECHATPAY_PLATFORM_CERT`).
   */
  verificationKeys: WechatPayVerificationKey[];
  /** Serial of the key used to encrypt sensitive fields (`user_name`): the public key id if present. */
  encryptionKeySerial: string;
  /** Transfer scene the merchant was granted (`WECHATPAY_TRANSFER_SCENE_ID`), merchant configuration. */
  transferSceneId: string | undefined;
  /** Per-request timeout in ms (`WECHATPAY_TIMEOUT_MS`, default 10000). */
  timeoutMs: number;
}

/** PEM stored in one environment line: literal `\n` sequences become newlines. */
function pemFromEnv(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

/** Reads and checks the `WECHATPAY_*` variables; throws CONFIG_INVALID naming the missing variable. */
export function wechatPayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WechatPayConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new WechatPayError('CONFIG_INVALID', `${name} is not set`);
    return value;
  };
  const verificationKeys: WechatPayVerificationKey[] = [];
  if (env.WECHATPAY_PUBLIC_KEY_ID) {
    if (!env.WECHATPAY_PUBLIC_KEY_ID.startsWith('PUB_KEY_ID_'))
      throw new WechatPayError('CONFIG_INVALID', 'WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_');
    verificationKeys.push({
      serial: env.WECHATPAY_PUBLIC_KEY_ID,
      pem: pemFromEnv(required('WECHATPAY_PUBLIC_KEY')),
    });
  }
  if (env.WECHATPAY_PLATFORM_CERT_SERIAL) {
    verificationKeys.push({
      serial: env.WECHATPAY_PLATFORM_CERT_SERIAL,
      pem: pemFromEnv(required('WECHATPAY_PLATFORM_CERT')),
    });
  }
  const first = verificationKeys[0];
  if (!first)
    throw new WechatPayError(
      'CONFIG_INVALID',
      'set WECHATPAY_PUBLIC_KEY_ID/WECHATPAY_PUBLIC_KEY or WECHATPAY_PLATFORM_CERT_SERIAL/WECHATPAY_PLATFORM_CERT',
    );
  const apiV3Key = required('WECHATPAY_APIV3_KEY');
  if (Buffer.byteLength(apiV3Key, 'utf8') !== 32)
    throw new WechatPayError('CONFIG_INVALID', 'WECHATPAY_APIV3_KEY must be exactly 32 bytes');
  const timeoutMs = Number(env.WECHATPAY_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new WechatPayError('CONFIG_INVALID', 'WECHATPAY_TIMEOUT_MS must be a positive integer');
  return {
    baseUrl: (env.WECHATPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, ''),
    mchId: required('WECHATPAY_MCH_ID'),
    appId: required('WECHATPAY_APP_ID'),
    mchSerialNo: required('WECHATPAY_MCH_SERIAL_NO'),
    mchPrivateKeyPem: pemFromEnv(required('WECHATPAY_MCH_PRIVATE_KEY')),
    apiV3Key,
    verificationKeys,
    encryptionKeySerial: first.serial,
    transferSceneId: env.WECHATPAY_TRANSFER_SCENE_ID || undefined,
    timeoutMs,
  };
}
