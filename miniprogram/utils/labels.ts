/** Button labels: one wording per action, on every page that offers it. */
export const ACTION_LABELS = {
  apply: '去借款',
  verify: '去实名认证',
  progress: '查看进度',
  reasons: '查看原因',
  confirm: '确认收款',
  repay: '去还款',
  schedule: '查看还款计划',
  appeal: '申请人工复议',
  home: '返回首页',
  retry: '重试',
  contact: '联系客服',
  me: '去“我的”',
} as const;
