import { WechatPayError } from './errors';
import type { WechatPayKeyring } from './keyring';
import { decryptResource } from './resource-cipher';
import { verifyWechatpaySignature, type SignedHeaders } from './response-signature';
import {
  notificationEnvelopeSchema,
  transferBillNoticeSchema,
  type NotificationEnvelope,
  type TransferBillNotice,
} from './transfer-types';

/** The event type of a transfer bill reaching SUCCESS, FAIL or CANCELLED. */
export const TRANSFER_FINISHED_EVENT = 'MCHTRANSFER.BILL.FINISHED';

/** A verified, decrypted transfer notification. */
export interface VerifiedTransferNotification {
  /** The envelope (`id` identifies the notification; duplicates share it). */
  envelope: NotificationEnvelope;
  /** The decrypted bill. Still compare it with our own record (`transferNoticeMismatches`). */
  bill: TransferBillNotice;
  /** Which key verified the signature (certificate serial or PUB_KEY_ID_…). */
  serial: string;
}

/**
 * Verifies and decrypts a MCHTRANSFER.BILL.FINISHED notification: signature over the raw body
 * (probe signatures, unknown serials and stale/future timestamps rejected), envelope shape,
 * event type, AEAD_AES_256_GCM resource. Throws WechatPayError; answer 4XX/5XX then so WeChat retries.
 */
export function verifyTransferNotification(options: {
  headers: SignedHeaders;
  /** Raw request body bytes (see `rawBodyOfHttpEvent` for CloudBase HTTP access events). */
  body: Buffer | string;
  keyring: WechatPayKeyring;
  apiV3Key: string;
  nowMs: number;
}): VerifiedTransferNotification {
  const serial = verifyWechatpaySignature(options);
  const text = typeof options.body === 'string' ? options.body : options.body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WechatPayError('MALFORMED_MESSAGE', 'notification body is not JSON');
  }
  const envelope = notificationEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new WechatPayError('MALFORMED_MESSAGE', 'notification envelope is malformed');
  if (envelope.data.event_type !== TRANSFER_FINISHED_EVENT)
    throw new WechatPayError('UNKNOWN_EVENT_TYPE', `unexpected event_type ${envelope.data.event_type}`);
  const plain = decryptResource(envelope.data.resource, options.apiV3Key);
  let billJson: unknown;
  try {
    billJson = JSON.parse(plain);
  } catch {
    throw new WechatPayError('MALFORMED_MESSAGE', 'decrypted resource is not JSON');
  }
  const bill = transferBillNoticeSchema.safeParse(billJson);
  if (!bill.success) throw new WechatPayError('MALFORMED_MESSAGE', 'decrypted bill is malformed');
  return { envelope: envelope.data, bill: bill.data, serial };
}

/** What we recorded before paying: a notification must agree on all of it. */
export interface ExpectedTransfer {
  mchId: string;
  outBillNo: string;
  transferAmount: number;
  openid: string;
}

/** Names of the fields where a verified notice disagrees with our record (empty = consistent). */
export function transferNoticeMismatches(notice: TransferBillNotice, expected: ExpectedTransfer): string[] {
  const mismatches: string[] = [];
  if (notice.mch_id !== expected.mchId) mismatches.push('mch_id');
  if (notice.out_bill_no !== expected.outBillNo) mismatches.push('out_bill_no');
  if (notice.transfer_amount !== expected.transferAmount) mismatches.push('transfer_amount');
  if (notice.openid !== expected.openid) mismatches.push('openid');
  return mismatches;
}

/** The raw bytes of a CloudBase HTTP access event body (`isBase64Encoded` decoded). */
export function rawBodyOfHttpEvent(event: { body?: string | null; isBase64Encoded?: boolean }): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** The body to answer with when refusing a notification (only the status code counts to WeChat). */
export function notificationFailureBody(message: string): { code: 'FAIL'; message: string } {
  return { code: 'FAIL', message };
}
