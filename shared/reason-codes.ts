/**
 * The catalogues of reason codes operators pick from, one list per sensitive action (pure data:
 * the functions validate against them, the workbench offers them), with their Chinese labels.
 */
export const OPS_REASONS = {
  reveal: ['CUSTOMER_REQUEST', 'FRAUD_INVESTIGATION', 'REGULATORY_REQUEST', 'DISPUTE', 'COLLECTIONS'],
  freeze: ['FRAUD_SUSPECTED', 'AML_HIT', 'CUSTOMER_REQUEST', 'REGULATORY_REQUEST', 'DISPUTE'],
  unfreeze: ['INVESTIGATION_CLEARED', 'CUSTOMER_REQUEST', 'REGULATORY_REQUEST', 'OPERATOR_ERROR'],
  blacklist: [
    'FRAUD_CONFIRMED',
    'AML_CONFIRMED',
    'REGULATORY_REQUEST',
    'LISTED_IN_ERROR',
    'INVESTIGATION_CLEARED',
  ],
  waive: ['HARDSHIP', 'DISPUTE', 'OPERATOR_ERROR', 'GOODWILL'],
  cancel: ['CUSTOMER_REQUEST', 'WRONG_PAYEE', 'FRAUD_SUSPECTED', 'OPERATOR_ERROR'],
  hold: ['FRAUD_SUSPECTED', 'CUSTOMER_REQUEST', 'RECONCILIATION', 'OPERATOR_ERROR'],
  /** Why a person approved an application (maker, checker or appeal). */
  approve: ['INCOME_VERIFIED', 'RISK_ACCEPTABLE', 'APPEAL_EVIDENCE_ACCEPTED', 'POLICY_EXCEPTION_APPROVED'],
  /** Why a person rejected one. */
  reject: [
    'INCOME_INSUFFICIENT',
    'FRAUD_SUSPECTED',
    'IDENTITY_DOUBT',
    'POLICY_RULE',
    'APPEAL_EVIDENCE_INSUFFICIENT',
  ],
  /** Why a borrower's correction request was approved (PIPL art. 46). */
  correctionApprove: ['DOCUMENT_VERIFIED', 'OFFICIAL_RECORD_CHECKED', 'OPERATOR_ERROR'],
  /** Why one was rejected. */
  correctionReject: ['EVIDENCE_INSUFFICIENT', 'MATCHES_OFFICIAL_RECORD', 'INVALID_VALUE', 'NOT_THE_HOLDER'],
  /** Why an account deletion was carried out (PIPL art. 47). */
  deletion: ['CUSTOMER_REQUEST', 'REGULATORY_REQUEST'],
} as const;

/** Reason codes of the repayment operator actions (audited with every use). */
export const REPAYMENT_REASONS = {
  waive: ['HARDSHIP', 'SERVICE_FAULT', 'DISPUTE_RESOLVED', 'GOODWILL'],
  offline: ['BANK_TRANSFER', 'CASH_AT_BRANCH', 'COURT_ENFORCEMENT'],
  refund: ['OVERPAYMENT', 'DUPLICATE_PAYMENT', 'SETTLED_LOAN'],
  writeOff: ['UNCOLLECTABLE', 'DECEASED', 'FRAUD_CONFIRMED', 'DEBT_SOLD'],
  /** Why the second operator rejected a pending waive, offline repayment or write-off. */
  reject: ['AMOUNT_INCORRECT', 'EVIDENCE_INSUFFICIENT', 'NOT_JUSTIFIED', 'OPERATOR_ERROR'],
} as const;

/** What each code means, as the workbench shows it. */
export const REASON_LABELS: Record<string, string> = {
  CUSTOMER_REQUEST: '客户申请',
  FRAUD_INVESTIGATION: '欺诈调查',
  REGULATORY_REQUEST: '监管要求',
  DISPUTE: '争议处理',
  COLLECTIONS: '催收需要',
  FRAUD_SUSPECTED: '疑似欺诈',
  AML_HIT: '反洗钱命中',
  INVESTIGATION_CLEARED: '调查已排除',
  OPERATOR_ERROR: '操作失误更正',
  FRAUD_CONFIRMED: '确认欺诈',
  AML_CONFIRMED: '确认洗钱',
  LISTED_IN_ERROR: '误列更正',
  HARDSHIP: '经济困难',
  GOODWILL: '客户关怀',
  WRONG_PAYEE: '收款人有误',
  RECONCILIATION: '对账核查',
  INCOME_VERIFIED: '收入已核实',
  RISK_ACCEPTABLE: '风险可接受',
  APPEAL_EVIDENCE_ACCEPTED: '复议材料属实',
  POLICY_EXCEPTION_APPROVED: '政策例外获批',
  INCOME_INSUFFICIENT: '收入不足',
  IDENTITY_DOUBT: '身份存疑',
  POLICY_RULE: '不符合产品政策',
  APPEAL_EVIDENCE_INSUFFICIENT: '复议材料不足',
  SERVICE_FAULT: '服务过失',
  DISPUTE_RESOLVED: '争议已解决',
  BANK_TRANSFER: '银行转账',
  CASH_AT_BRANCH: '网点现金',
  COURT_ENFORCEMENT: '法院执行',
  OVERPAYMENT: '多付退回',
  DUPLICATE_PAYMENT: '重复支付',
  SETTLED_LOAN: '已结清借款',
  UNCOLLECTABLE: '无法收回',
  DECEASED: '借款人身故',
  DEBT_SOLD: '债权转让',
  AMOUNT_INCORRECT: '金额有误',
  NOT_JUSTIFIED: '理由不充分',
  DOCUMENT_VERIFIED: '证件已核实',
  OFFICIAL_RECORD_CHECKED: '官方记录已核对',
  EVIDENCE_INSUFFICIENT: '证明材料不足',
  MATCHES_OFFICIAL_RECORD: '与官方记录一致',
  INVALID_VALUE: '更正内容无效',
  NOT_THE_HOLDER: '非本人申请',
};
