import { z } from 'zod';
import { sceneReportProblem } from '../../shared/transfer-scenes';
import { isAcceptableNotifyUrl } from '../wechatpay/transfer-input';
import bundledProfile from './merchant-profile.json';
import { QUALIFICATIONS, type MerchantSubjectType, type Qualification } from './qualification';

/** One `transfer_scene_report_infos` entry: the scene's required report item and its content. */
export interface SceneReportInfo {
  /** e.g. 岗位类型 / 报酬说明, as the scene defines. */
  info_type: string;
  /** The value reported. */
  info_content: string;
}

/** The merchant configuration payouts run under, validated once at start. */
export interface MerchantProfile {
  /** Subject type registered with WeChat Pay; decides the qualification. */
  subjectType: MerchantSubjectType;
  /** Merchant number (商户号). */
  mchId: string;
  /** Mini-program appid bound to the merchant (the payee's openid belongs to it). */
  appId: string;
  /** Transfer scene id granted to this merchant (no lending scene is published). */
  transferSceneId: string;
  /** Report infos the scene requires (shared/transfer-scenes.ts fixes their info_types). */
  transferSceneReportInfos: SceneReportInfo[];
  /** How the borrower sees the money (`user_recv_perception`), one the scene allows; WeChat's default when absent. */
  userRecvPerception?: string;
  /** Remark shown to the borrower in WeChat (≤ 32 chars). */
  transferRemark: string;
  /** HTTPS callback without query string (the payNotify HTTP route). */
  notifyUrl: string;
  /** Serial of the merchant API certificate that signs our requests. */
  merchantCertSerial: string;
  /** WeChat Pay public key id (`PUB_KEY_ID_…`) and/or platform certificate serials we accept. */
  wechatKeyIds: string[];
  /** What this subject type may do. */
  qualification: Qualification;
}

const alnum = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .max(max);

const schema = z
  .object({
    subjectType: z.enum(['enterprise', 'individual_business', 'individual']),
    mchId: z.string().regex(/^\d{8,12}$/, 'mchId must be the 8–12 digit merchant number'),
    appId: z.string().regex(/^wx[0-9a-f]{16}$/i, 'appId must look like wx + 16 hex'),
    transferSceneId: z.string().regex(/^\d{1,8}$/, 'transferSceneId must be digits'),
    transferSceneReportInfos: z
      .array(z.object({ info_type: z.string().min(1).max(15), info_content: z.string().min(1).max(32) }))
      .min(1, 'the scene needs at least one report info'),
    userRecvPerception: z.string().min(1).optional(),
    transferRemark: z
      .string()
      .min(1)
      .refine((s) => Array.from(s).length <= 32, 'transferRemark ≤ 32 chars'),
    notifyUrl: z
      .string()
      .refine(
        isAcceptableNotifyUrl,
        'notifyUrl must be HTTPS (http only on loopback) without a query string',
      ),
    merchantCertSerial: alnum(64),
    wechatKeyIds: z.array(alnum(64)).min(1, 'at least one WeChat Pay key id'),
  })
  .strict();

/** A configuration problem found at start; the message names the field to fix. */
export class MerchantProfileError extends Error {
  readonly code = 'MERCHANT_PROFILE_INVALID';
}

/**
 * Parses and checks the profile: JSON in `WXLEND_MERCHANT_PROFILE`, else the bundled
 * `merchant-profile.json` (deployed with every function); ids the WeChat Pay client
 * already reads fall back to its `WECHATPAY_*` variables, the notify URL to
 * `WXLEND_PAYOUT_NOTIFY_URL`. Throws MerchantProfileError listing every problem.
 */
export function loadMerchantProfile(env: NodeJS.ProcessEnv = process.env): MerchantProfile {
  let raw: unknown;
  try {
    raw =
      env.WXLEND_MERCHANT_PROFILE === undefined ? bundledProfile : JSON.parse(env.WXLEND_MERCHANT_PROFILE);
  } catch {
    throw new MerchantProfileError('WXLEND_MERCHANT_PROFILE is not valid JSON');
  }
  const base = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const keyIds = [env.WECHATPAY_PUBLIC_KEY_ID, env.WECHATPAY_PLATFORM_CERT_SERIAL].filter(
    (id): id is string => typeof id === 'string' && id.length > 0,
  );
  const merged = {
    ...base,
    mchId: base.mchId ?? env.WECHATPAY_MCH_ID,
    appId: base.appId ?? env.WECHATPAY_APP_ID,
    transferSceneId: base.transferSceneId ?? env.WECHATPAY_TRANSFER_SCENE_ID,
    merchantCertSerial: base.merchantCertSerial ?? env.WECHATPAY_MCH_SERIAL_NO,
    wechatKeyIds: base.wechatKeyIds ?? keyIds,
    notifyUrl: base.notifyUrl ?? env.WXLEND_PAYOUT_NOTIFY_URL,
  };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new MerchantProfileError(`merchant profile invalid — ${problems.join('; ')}`);
  }
  const sceneProblem = sceneReportProblem(
    parsed.data.transferSceneId,
    parsed.data.transferSceneReportInfos,
    parsed.data.userRecvPerception,
  );
  if (sceneProblem) throw new MerchantProfileError(`merchant profile invalid — ${sceneProblem.message}`);
  const qualification = QUALIFICATIONS[parsed.data.subjectType];
  if (!qualification.merchantTransfer) {
    throw new MerchantProfileError(
      `merchant profile invalid — subject type ${parsed.data.subjectType} may not use merchant transfer`,
    );
  }
  return { ...parsed.data, qualification };
}

/**
 * The merchant's qualification alone (its subject type from the same profile), for code that needs
 * the limits in force but not the payout configuration (quote, apply). Unknown or missing subject
 * types fall back to the most restrictive that can pay out at all.
 */
export function merchantQualification(env: NodeJS.ProcessEnv = process.env): Qualification {
  let raw: unknown = bundledProfile;
  try {
    if (env.WXLEND_MERCHANT_PROFILE !== undefined) raw = JSON.parse(env.WXLEND_MERCHANT_PROFILE);
  } catch {
    throw new MerchantProfileError('WXLEND_MERCHANT_PROFILE is not valid JSON');
  }
  const type = (raw as { subjectType?: unknown } | null)?.subjectType;
  return QUALIFICATIONS[type === 'enterprise' || type === 'individual' ? type : 'individual_business'];
}
