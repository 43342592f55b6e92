import type { DecisionExplanation } from '../../typings/loan';
import type { ReasonCode, StoredDecision } from './decide';

/**
 * Plain-language reasons (PIPL art. 24): they say what kind of fact mattered, never thresholds,
 * weights or which rule fired internally.
 */
const PLAIN: Record<ReasonCode, string> = {
  IDENTITY_NOT_VERIFIED: '尚未完成实名认证',
  AGE_OUT_OF_RANGE: '年龄不在本产品的服务范围内',
  BLACKLISTED: '根据风险管理要求，暂时无法为您提供借款服务',
  FROZEN: '账户目前处于限制状态',
  PURPOSE_BANNED: '借款用途不符合规定',
  OVER_LIMIT: '申请金额超过了您当前可借的额度，可以降低金额后再申请',
  DEVICE_SHARED: '当前设备的使用情况需要进一步核实',
  DEVICE_MANY_IDENTITIES: '当前设备的使用情况需要进一步核实',
  IP_VELOCITY: '当前网络环境需要进一步核实',
  WECHAT_RISK: '账户安全状况需要进一步核实',
  SCORE_LOW: '综合信用评估未达到要求',
  SCORE_REVIEW: '需要人工进一步审核',
  CREDIT_OVERDUE: '信用记录中存在逾期',
  CREDIT_SHORT_HISTORY: '信用记录时间较短',
  CREDIT_INQUIRIES: '近期信贷查询较多',
  CREDIT_DEBT: '当前负债水平较高',
  AGE_BAND: '综合信用评估未达到要求',
  NO_CREDIT_FILE: '暂无足够的信用记录',
  CREDIT_BUREAU_UNAVAILABLE: '征信查询暂时无法完成，您的申请已转人工审核',
  CREDIT_INQUIRY_NOT_AUTHORISED: '未获得您的征信查询授权，我们没有查询您的征信，您的申请已转人工审核',
};

/** How to ask for a person to look again. */
const APPEAL_TEXT = '如对结果有异议，可在申请详情页点击“申请人工复议”，由人工重新审核。';

/** The borrower-facing explanation of a stored decision. */
export function explainDecision(decision: StoredDecision): DecisionExplanation {
  const reasons = [...new Set(decision.reasons.map((code) => PLAIN[code]))];
  if (decision.outcome === 'approved' && reasons.length === 0) reasons.push('综合信用评估符合要求');
  return { outcome: decision.outcome, reasons, appeal: APPEAL_TEXT };
}
