/**
 * Reveal in the tab only: a one-time ECDH P-256 key pair per reveal; the function seals the
 * plaintext to the public half (ECDH + HKDF-SHA256 + AES-256-GCM, server/operators/sealed-reveal.ts),
 * so the answer that passes the platform's logs carries ciphertext only.
 */
export interface Sealed {
  alg: string;
  epk: string;
  iv: string;
  ciphertext: string;
}

const SEAL_INFO = 'wxlend-reveal-v1';

function toBase64Url(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A one-time recipient: its public key to send, and `open` for the sealed answer. */
export async function oneTimeRecipient(): Promise<{
  publicKey: string;
  open: (sealed: Sealed) => Promise<unknown>;
}> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const publicKey = toBase64Url(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey,
    open: async (sealed) => {
      const epk = await crypto.subtle.importKey(
        'raw',
        fromBase64Url(sealed.epk),
        { name: 'ECDH', namedCurve: 'P-256' },
        false,
        [],
      );
      const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, pair.privateKey, 256);
      const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
      const key = await crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(SEAL_INFO) },
        hkdf,
        { name: 'AES-GCM', length: 256 },
        false,
        ['decrypt'],
      );
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64Url(sealed.iv) },
        key,
        fromBase64Url(sealed.ciphertext),
      );
      return JSON.parse(new TextDecoder().decode(plain));
    },
  };
}
