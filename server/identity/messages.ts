import { AppError } from '../runtime/app-error';

/** Borrower-facing refusals of the identity domain (ID number and name codes live in shared/). */
export const IDENTITY_MESSAGES = {
  UNAUTHENTICATED: '请在微信小程序内打开后重试',
  CONSENT_REQUIRED: '请先阅读并同意《敏感个人信息处理单独告知》',
  CONSENT_NOTICE_OUTDATED: '告知内容已更新，请重新阅读并同意',
  ALREADY_VERIFIED: '您已完成实名认证，无需重复认证',
  VERIFY_RATE_LIMITED: '今日认证次数已用完，请明天再试',
  FACE_RESULT_REQUIRED: '请先完成人脸核身',
  ID_CARD_IMAGE_REQUIRED: '请上传身份证人像面照片',
  ID_CARD_IMAGE_INVALID: '身份证照片无法读取，请上传小于2MB的JPG或PNG照片',
  ID_CARD_IMAGE_FOREIGN: '身份证照片不是由您本人上传的，请重新拍摄身份证人像面',
  ID_CARD_IMAGE_MISSING: '未找到上传的身份证照片，请重新拍摄身份证人像面',
  FACE_NOT_PASSED: '人脸核身未通过，请本人重新核身',
  FACE_RESULT_INVALID: '人脸核身结果已失效，请重新提交并完成人脸核身',
  FACE_SESSION_EXPIRED: '人脸核身已超时，请重新提交并在1小时内完成核身',
  FACE_NOT_OFFERED: '当前未开通人脸核身，请按页面提示完成认证',
  OCR_NOT_RECOGNISED: '未能识别身份证，请在光线充足处重新拍摄人像面',
  OCR_WRONG_SIDE: '请上传身份证人像面（有照片的一面）',
  OCR_MISMATCH: '身份证照片上的姓名或号码与填写的不一致，请核对',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新点击获取手机号',
  ID_ALREADY_BOUND: '该身份证号码已绑定其他微信账号，如有疑问请联系客服',
  VERIFIER_UNAVAILABLE: '认证服务暂时不可用，请稍后再试',
  TRY_AGAIN: '操作过于频繁，请稍后再试',
  CONSENT_NOT_FOUND: '没有可撤回的同意记录，请返回“我的”刷新后再试',
  DELETION_ACTIVE_APPLICATION: '您有一笔进行中的借款申请，请在申请结束（或取消）后再申请注销账号',
  DELETION_NOT_PENDING: '没有待处理的注销申请，无需撤销',
  IDENTITY_NOT_VERIFIED: '您尚未完成实名认证，暂无可更正的身份信息',
  CORRECTION_DETAIL_REQUIRED: '请填写正确的信息（100字以内），以便工作人员核实更正',
} as const;

/** Codes of the identity domain's own refusals. */
export type IdentityErrorCode = keyof typeof IDENTITY_MESSAGES;

/** An AppError with the domain's message for `code`. */
export function identityError(code: IdentityErrorCode): AppError {
  return new AppError(code, IDENTITY_MESSAGES[code]);
}
