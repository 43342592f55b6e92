import type { KeyObject } from 'node:crypto';
import { WechatPayError } from './errors';
import { encryptSensitiveField } from './sensitive-field';
import type { CreateTransferBody, CreateTransferInput } from './transfer-types';

/** WeChat's minimum transfer: 0.1 CNY. */
export const MIN_TRANSFER_FEN = 10;
/** From this amount (2,000 CNY) WeChat requires the payee's real name. */
export const NAME_REQUIRED_FROM_FEN = 200_000;
/** out_bill_no: 1–32 letters or digits. */
export const OUT_BILL_NO_PATTERN = /^[A-Za-z0-9]{1,32}$/;

/** True for an https URL, or plain http on a loopback host (local backend only), without query string. */
export function isAcceptableNotifyUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search || url.hash || value.includes('?')) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function invalid(message: string): never {
  throw new WechatPayError('INVALID_INPUT', message);
}

/** Checks the documented rules on our side so a bad payout never leaves the building. */
export function checkCreateTransferInput(input: CreateTransferInput): void {
  if (!OUT_BILL_NO_PATTERN.test(input.outBillNo)) invalid('outBillNo must be 1–32 letters or digits');
  if (!Number.isSafeInteger(input.transferAmount) || input.transferAmount < MIN_TRANSFER_FEN)
    invalid(`transferAmount must be an integer number of fen ≥ ${MIN_TRANSFER_FEN}`);
  if (!input.transferSceneId) invalid('transferSceneId is required');
  if (!input.openid) invalid('openid is required');
  const remarkLength = Array.from(input.transferRemark).length;
  if (remarkLength === 0 || remarkLength > 32) invalid('transferRemark must be 1–32 characters');
  if (input.transferAmount >= NAME_REQUIRED_FROM_FEN && !input.userName?.trim())
    invalid('userName is required from 2,000 CNY');
  if (input.notifyUrl !== undefined && !isAcceptableNotifyUrl(input.notifyUrl))
    invalid('notifyUrl must be https (or http on loopback) without a query string');
  if (input.transferSceneReportInfos.length === 0) invalid('transferSceneReportInfos are required');
}

/** Builds the wire body: adds `appid`, encrypts `user_name` with WeChat Pay's key. */
export function createTransferBody(
  input: CreateTransferInput,
  appId: string,
  encryptionKey: KeyObject,
): CreateTransferBody {
  checkCreateTransferInput(input);
  const body: CreateTransferBody = {
    appid: appId,
    out_bill_no: input.outBillNo,
    transfer_scene_id: input.transferSceneId,
    openid: input.openid,
    transfer_amount: input.transferAmount,
    transfer_remark: input.transferRemark,
    transfer_scene_report_infos: input.transferSceneReportInfos,
  };
  if (input.userName) body.user_name = encryptSensitiveField(input.userName, encryptionKey);
  if (input.notifyUrl) body.notify_url = input.notifyUrl;
  if (input.userRecvPerception) body.user_recv_perception = input.userRecvPerception;
  return body;
}
