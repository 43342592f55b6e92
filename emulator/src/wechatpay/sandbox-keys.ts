import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

/** Merchant number the sandbox plays. */
const SANDBOX_MCH_ID = '1900000109';

/** One RSA key pair in PEM, named by the serial that travels in headers. */
export interface SandboxKeyPair {
  serial: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

/** Every secret the sandbox plays with; generated once, kept in the data folder across restarts. */
export interface SandboxKeys {
  /** Merchant number the sandbox serves. */
  mchId: string;
  /** The merchant API key pair; the sandbox holds its public half as "registered". */
  merchant: SandboxKeyPair;
  /** Platform key pair with a certificate-style serial (40 upper-case hex). */
  platform: SandboxKeyPair;
  /** WeChat Pay public key pair with a `PUB_KEY_ID_…` id. */
  publicKey: SandboxKeyPair;
  /** The 32-byte APIv3 key (32 ASCII characters, as WeChat's merchant console issues it). */
  apiV3Key: string;
}

function pemPair(serial: string, pair: { publicKey: KeyObject; privateKey: KeyObject }): SandboxKeyPair {
  return {
    serial,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function certificateSerial(): string {
  return randomBytes(20).toString('hex').toUpperCase();
}

function publicKeyId(): string {
  return `PUB_KEY_ID_0119000001092025${randomBytes(6).toString('hex').toUpperCase()}`;
}

function alphanumeric(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function keysFile(dataDir: string): string {
  return path.join(dataDir, 'wechatpay', 'keys.json');
}

/** The keys kept in the data folder, if they were generated before. */
export function readSandboxKeys(dataDir: string): SandboxKeys | undefined {
  const file = keysFile(dataDir);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxKeys) : undefined;
}

function writeKeys(dataDir: string, keys: SandboxKeys): SandboxKeys {
  const file = keysFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  fs.renameSync(temp, file);
  return keys;
}

/** Loads `wechatpay/keys.json` from the data folder, generating it (synchronously) when absent. */
export function loadOrCreateSandboxKeys(dataDir: string): SandboxKeys {
  const existing = readSandboxKeys(dataDir);
  if (existing) return existing;
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
  return writeKeys(dataDir, {
    mchId: SANDBOX_MCH_ID,
    merchant: pemPair(certificateSerial(), rsa()),
    platform: pemPair(certificateSerial(), rsa()),
    publicKey: pemPair(publicKeyId(), rsa()),
    apiV3Key: alphanumeric(32),
  });
}

/** Same as `loadOrCreateSandboxKeys`, generating the three key pairs in parallel off the main thread. */
export async function loadOrCreateSandboxKeysInBackground(dataDir: string): Promise<SandboxKeys> {
  const existing = readSandboxKeys(dataDir);
  if (existing) return existing;
  const rsa = () => generateRsa('rsa', { modulusLength: 2048 });
  const [merchant, platform, publicKey] = await Promise.all([rsa(), rsa(), rsa()]);
  return writeKeys(dataDir, {
    mchId: SANDBOX_MCH_ID,
    merchant: pemPair(certificateSerial(), merchant),
    platform: pemPair(certificateSerial(), platform),
    publicKey: pemPair(publicKeyId(), publicKey),
    apiV3Key: alphanumeric(32),
  });
}
