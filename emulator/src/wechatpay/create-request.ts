import { createHash } from 'node:crypto';
import { sceneReportProblem } from '../../../shared/transfer-scenes';
import { z } from 'zod';
import { paramError, SandboxApiError } from './api-error';
import { decryptSensitiveField } from './sandbox-crypto';
import type { SandboxKeys } from './sandbox-keys';
import { decryptionKeyFor } from './sandbox-signing';

/** Amount from which WeChat requires the payee's name (2,000 CNY). */
const NAME_REQUIRED_FROM_FEN = 200_000;

const createBodySchema = z.object({
  appid: z.string().min(1),
  out_bill_no: z.string(),
  transfer_scene_id: z.string().min(1),
  openid: z.string().min(1),
  user_name: z.string().optional(),
  transfer_amount: z.number(),
  transfer_remark: z.string(),
  notify_url: z.string().optional(),
  user_recv_perception: z.string().optional(),
  transfer_scene_report_infos: z
    .array(z.object({ info_type: z.string(), info_content: z.string() }))
    .optional(),
});

/** A create request that passed every rule. */
export interface AcceptedCreate {
  body: z.infer<typeof createBodySchema>;
  /** Hash of the request's meaning; equal for an honest retry even though OAEP ciphertexts differ. */
  fingerprint: string;
}

/** https, or http on loopback (the local backend), and never a query string. */
function notifyUrlAcceptable(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (value.includes('?') || url.hash) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const codePoints = (value: string): number => Array.from(value).length;

/** Applies the real create rules; throws SandboxApiError with WeChat's codes. */
export function checkCreateRequest(options: {
  rawBody: string;
  wechatpaySerial: string | undefined;
  keys: SandboxKeys;
  appId: string;
  grantedSceneIds: readonly string[];
}): AcceptedCreate {
  let json: unknown;
  try {
    json = JSON.parse(options.rawBody);
  } catch {
    throw paramError('request body is not valid JSON');
  }
  const parsed = createBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw paramError(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const body = parsed.data;
  if (body.appid !== options.appId) throw paramError('appid is not bound to this mchid');
  if (!/^[A-Za-z0-9]{1,32}$/.test(body.out_bill_no))
    throw paramError('out_bill_no must be 1-32 letters or digits');
  if (!Number.isSafeInteger(body.transfer_amount) || body.transfer_amount < 10)
    throw paramError('transfer_amount must be an integer of at least 10 fen');
  if (codePoints(body.transfer_remark) === 0 || codePoints(body.transfer_remark) > 32)
    throw paramError('transfer_remark must be 1-32 characters');
  if (body.notify_url !== undefined && !notifyUrlAcceptable(body.notify_url))
    throw paramError('notify_url must be https without query string');
  if (!options.grantedSceneIds.includes(body.transfer_scene_id))
    throw new SandboxApiError(403, 'NO_AUTH', 'transfer_scene_id is not granted to this merchant');
  const infos = body.transfer_scene_report_infos ?? [];
  if (infos.length === 0) throw paramError('transfer_scene_report_infos is required for this scene');
  const sceneProblem = sceneReportProblem(body.transfer_scene_id, infos, body.user_recv_perception);
  if (sceneProblem) throw new SandboxApiError(400, sceneProblem.code, sceneProblem.message);
  for (const info of infos) {
    if (codePoints(info.info_type) === 0 || codePoints(info.info_type) > 15)
      throw paramError('transfer_scene_report_infos.info_type must be 1-15 characters');
    if (codePoints(info.info_content) === 0 || codePoints(info.info_content) > 32)
      throw paramError('transfer_scene_report_infos.info_content must be 1-32 characters');
  }
  let name: string | undefined;
  if (body.user_name !== undefined) {
    const key = decryptionKeyFor(options.keys, options.wechatpaySerial);
    if (!key) throw paramError('Wechatpay-Serial must name the WeChat Pay key user_name was encrypted with');
    name = decryptSensitiveField(body.user_name, key);
    if (name === undefined) throw paramError('user_name does not decrypt with the named key');
    if (!name.trim()) throw paramError('user_name decrypts to an empty name');
  }
  if (body.transfer_amount >= NAME_REQUIRED_FROM_FEN && name === undefined)
    throw paramError('user_name is required when transfer_amount >= 200000');
  const meaning = {
    appid: body.appid,
    scene: body.transfer_scene_id,
    openid: body.openid,
    amount: body.transfer_amount,
    remark: body.transfer_remark,
    name: name ?? null,
    notify: body.notify_url ?? null,
    perception: body.user_recv_perception ?? null,
    infos,
  };
  return { body, fingerprint: createHash('sha256').update(JSON.stringify(meaning)).digest('hex') };
}
