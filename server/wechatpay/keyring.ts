import { createPublicKey, type KeyObject } from 'node:crypto';
import type { WechatPayVerificationKey } from './config';
import { WechatPayError } from './errors';

/**
 * WeChat Pay's verification keys by serial. Platform certificates and `PUB_KEY_ID_…` public keys
 * can both be in use during WeChat's switch-over, so every configured key stays loaded.
 */
export class WechatPayKeyring {
  private readonly keys = new Map<string, KeyObject>();

  constructor(keys: WechatPayVerificationKey[] = []) {
    for (const key of keys) this.add(key);
  }

  /** Loads a key (PEM public key or X.509 certificate); throws CONFIG_INVALID on unreadable PEM. */
  add(key: WechatPayVerificationKey): void {
    try {
      this.keys.set(key.serial, createPublicKey(key.pem));
    } catch {
      throw new WechatPayError('CONFIG_INVALID', `verification key ${key.serial} is not a readable PEM`);
    }
  }

  /** The key named by a `Wechatpay-Serial` header, if we hold it. */
  get(serial: string): KeyObject | undefined {
    return this.keys.get(serial);
  }

  /** Serials of every loaded key. */
  serials(): string[] {
    return [...this.keys.keys()];
  }
}
