/** Version of the loan agreement below; must equal the `loan` function's `agreementVersion`. */
export const LOAN_AGREEMENT_VERSION = '2026-01';

/** The loan agreement shown in full before the borrower consents, verbatim. */
export const LOAN_AGREEMENT_TEXT = [
  '借款协议（2026-01版）',
  '一、借款金额、期限、年化利率、还款方式及还款计划以您提交申请前页面展示的内容为准，均以人民币计价。',
  '二、借款经审核通过后，款项将通过微信支付“商家转账”发放至您的微信零钱，您需在24小时内确认收款；逾期未确认的转账将自动关闭，您可重新发起。',
  '三、您承诺借款不用于购买虚拟货币、赌博、炒股等投资投机活动或购房首付，不用于任何违法用途。',
  '四、审核由系统自动完成，您有权要求我们说明审核结果，并可对未通过的结果申请人工复议。',
  '五、您应按还款计划按时足额还款；提前还款按实际借款天数计息。',
  '六、我们依法保护您的个人信息，仅在提供借款服务所必需的范围内处理。',
  '七、本协议自您勾选同意并提交申请时成立，自借款发放至您的微信零钱时生效。',
].join('\n');
