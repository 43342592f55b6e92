import { loadOrCreateSandboxKeys } from '../../emulator/src/wechatpay/sandbox-keys';
import { encryptResource, signingHeaders } from '../../emulator/src/wechatpay/sandbox-crypto';
import type { PayoutHarness } from './harness';

/** What a forged or replayed notification is made of. */
export interface NotificationParts {
  outBillNo: string;
  state: 'SUCCESS' | 'FAIL' | 'CANCELLED';
  amount: number;
  openid: string;
  mchId?: string;
  failReason?: string;
  eventType?: string;
}

/** A signed notification request exactly as WeChat Pay would send it. */
export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

/** Builds a notification signed with the sandbox's WeChat Pay key (what a genuine delivery carries). */
export function signedNotification(
  h: PayoutHarness,
  parts: NotificationParts,
  options: { timestampSeconds?: number; serial?: string; kind?: 'public_key' | 'platform_cert' } = {},
): SignedNotification {
  const keys = loadOrCreateSandboxKeys(h.emu.dataDir);
  const pair = options.kind === 'platform_cert' ? keys.platform : keys.publicKey;
  const plain = JSON.stringify({
    mch_id: parts.mchId ?? keys.mchId,
    out_bill_no: parts.outBillNo,
    transfer_bill_no: `1330${keys.mchId}X`,
    state: parts.state,
    transfer_amount: parts.amount,
    openid: parts.openid,
    ...(parts.failReason ? { fail_reason: parts.failReason } : {}),
    create_time: '2026-11-28T10:00:00+08:00',
    update_time: '2026-11-28T10:00:05+08:00',
  });
  const sealed = encryptResource(plain, keys.apiV3Key, 'mch_payment');
  const body = JSON.stringify({
    id: `N${Math.random().toString(36).slice(2)}`,
    create_time: '2026-11-28T10:00:05+08:00',
    resource_type: 'encrypt-resource',
    event_type: parts.eventType ?? 'MCHTRANSFER.BILL.FINISHED',
    summary: '商家转账单据终态通知',
    resource: {
      original_type: 'mch_payment',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.ciphertext,
      associated_data: 'mch_payment',
      nonce: sealed.nonce,
    },
  });
  const headers = signingHeaders({
    body,
    timestampSeconds: options.timestampSeconds ?? Math.floor(h.now() / 1000),
    serial: pair.serial,
    privateKeyPem: pair.privateKeyPem,
  });
  return {
    headers: {
      ...headers,
      ...(options.serial ? { 'Wechatpay-Serial': options.serial } : {}),
      'Content-Type': 'application/json',
    },
    body,
  };
}

/** Re-signs an existing body with a fresh timestamp (a replay attacker holding the key, or WeChat's own retry). */
export function resign(
  h: PayoutHarness,
  body: string,
  timestampSeconds = Math.floor(h.now() / 1000),
): SignedNotification {
  const keys = loadOrCreateSandboxKeys(h.emu.dataDir);
  const headers = signingHeaders({
    body,
    timestampSeconds,
    serial: keys.publicKey.serial,
    privateKeyPem: keys.publicKey.privateKeyPem,
  });
  return { headers: { ...headers, 'Content-Type': 'application/json' }, body };
}

/** POSTs a notification to the payNotify HTTP route and answers the status code. */
export async function deliver(h: PayoutHarness, n: SignedNotification): Promise<number> {
  const response = await fetch(`${h.emu.baseUrl}/http/payNotify`, {
    method: 'POST',
    headers: n.headers,
    body: n.body,
  });
  await response.arrayBuffer();
  return response.status;
}
