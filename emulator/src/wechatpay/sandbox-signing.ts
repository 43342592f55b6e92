import type { SandboxKeys } from './sandbox-keys';

/** Which WeChat Pay key signs answers and notifications: the public key (`PUB_KEY_ID_…`) or the platform certificate. */
export type SigningKind = 'public_key' | 'platform_cert';

/** The key material one signature needs. */
export interface SandboxSigning {
  serial: string;
  privateKeyPem: string;
  apiV3Key: string;
}

/** The signing material for the configured kind. */
export function signingFor(keys: SandboxKeys, kind: SigningKind): SandboxSigning {
  const pair = kind === 'public_key' ? keys.publicKey : keys.platform;
  return { serial: pair.serial, privateKeyPem: pair.privateKeyPem, apiV3Key: keys.apiV3Key };
}

/** The private key that decrypts a sensitive field encrypted for `serial`, if the serial is ours. */
export function decryptionKeyFor(keys: SandboxKeys, serial: string | undefined): string | undefined {
  if (serial === keys.publicKey.serial) return keys.publicKey.privateKeyPem;
  if (serial === keys.platform.serial) return keys.platform.privateKeyPem;
  return undefined;
}
