/**
 * What 我的 tells a borrower about their personal-information rights (PIPL arts. 15, 46, 47) before
 * they use them. The server enforces the effects (withdrawal and a pending deletion stop new
 * applications); this is the one wording of them, shared by the mini-program.
 */

/** Working days within which operators answer a deletion or correction request. */
export const RIGHTS_ANSWER_WORKING_DAYS = 15;

/** What withdrawing the processing consent does and does not do. */
export const WITHDRAWAL_EFFECTS = [
  '撤回后，您将不能提交新的借款申请，也不能重新进行实名认证。',
  '已签署的借款按合同继续履行，还款不受影响。',
  '撤回不影响撤回前已进行的处理；依法需要留存的信息继续保存（见“注销账号”）。',
  '您可以随时在本页重新同意，恢复借款服务。',
] as const;

/** What withdrawing the credit-inquiry authorisation does and does not do. */
export const CREDIT_INQUIRY_WITHDRAWAL_EFFECTS = [
  '撤回后，我们不再查询您的征信；新的借款申请需要重新授权《征信查询授权书》，未授权时申请无法提交。',
  '尚在审核中的申请不再使用征信数据，将转由工作人员人工审核。',
  '已签署的借款按合同继续履行，还款不受影响；撤回前已完成的查询不受影响。',
  '再次申请借款时，可以在申请页重新授权。',
] as const;

/** Years the identity and loan records are kept after the account closes (AML law; the text below says so). */
export const AML_RETENTION_YEARS = 10;

/** What deletion removes, what the law makes us keep, and why. */
export const DELETION_RETENTION = [
  '注销后，您将无法登录使用借款服务，我们不再使用您的信息进行营销或新的借款审核。',
  '有未结清的借款时，账号将在借款结清后注销；注销不免除还款义务。',
  '依法留存：身份信息和借款、还款交易记录，依据《中华人民共和国反洗钱法》，在业务关系结束后至少保存10年。',
  '依法留存：已签署的借款协议及签署记录，作为合同凭证随交易记录一同保存。',
  '依法留存：操作和审计日志，依据《中华人民共和国网络安全法》至少保存6个月。',
  '留存期间上述信息加密保存、仅限依法核查使用；期满后删除或匿名化。',
] as const;

/** Labels of the fields a correction may concern. */
export const CORRECTABLE_FIELD_LABELS = { name: '姓名', idNumber: '身份证号', phone: '手机号' } as const;

/** Labels of a rights request's state. */
export const RIGHTS_STATE_LABELS = {
  received: '已提交，处理中',
  completed: '已处理',
  refused: '未通过',
  cancelled: '已撤销',
} as const;
