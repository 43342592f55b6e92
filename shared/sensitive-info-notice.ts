/**
 * The separate notice for processing sensitive personal information (PIPL art. 29) the borrower
 * agrees to before identity verification. The server records the SHA-256 of exactly this text with
 * each consent; changing the text means a new version (and a new consent).
 */

/** Version of the notice below; bump with every change of the text. */
export const SENSITIVE_INFO_NOTICE_VERSION = '2026-11-01';

/** The notice's title as consents name it (not part of the hashed text). */
export const SENSITIVE_INFO_NOTICE_TITLE = '《敏感个人信息处理单独告知》';

/** The notice shown to the borrower, verbatim. */
export const SENSITIVE_INFO_NOTICE_TEXT = [
  '敏感个人信息处理单独告知',
  '为核验您的身份并依法提供借款服务，我们需要处理您的姓名、身份证号码、手机号码，以及人脸核身结果或身份证照片。',
  '这些信息属于敏感个人信息。我们仅将其用于身份核验、反欺诈和依法留存，采用加密方式存储，仅限经授权的人员因业务需要查看，并记录每次查看。',
  '身份证照片仅用于本次识别，不会保存。您可以拒绝同意，但将无法完成实名认证和借款申请。',
  '您可以在“我的-个人信息”中查询、更正您的信息，或联系客服撤回同意、注销账号。',
].join('\n');
