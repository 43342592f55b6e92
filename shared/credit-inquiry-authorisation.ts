/**
 * The credit-inquiry authorisation (征信查询授权书) the borrower gives, separately from every other consent,
 * before the review may read their credit file. The server records the SHA-256 of exactly this text;
 * changing the text means a new version (and a new authorisation).
 */

/** Version of the authorisation below; bump with every change of the text. */
export const CREDIT_INQUIRY_VERSION = '2026-12-01';

/** The authorisation shown to the borrower, verbatim. */
export const CREDIT_INQUIRY_TEXT = [
  '征信查询授权书',
  '本人授权出借人在审核本人的借款申请时，向其合作的征信机构查询本人的信用报告（信用记录时长、逾期情况、近期查询次数、负债水平）。',
  '查询结果仅用于本次及后续借款申请的审核和依法进行的贷后管理，不会用于其他目的，也不会向其他机构提供。',
  '每次查询都会留存记录。本人可以拒绝授权，但未授权时出借人不会查询本人的征信，借款申请将无法提交。',
  '本人可以随时联系客服撤回本授权；撤回前已完成的查询不受影响。',
].join('\n');
