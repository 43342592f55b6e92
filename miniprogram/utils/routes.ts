/** Page paths; application ids are opaque server ids, never personal data. */
export const ROUTES = {
  home: '/pages/home/index',
  applications: '/pages/applications/index',
  identity: '/packages/borrow/identity/index',
  apply: '/packages/borrow/apply/index',
  progress: (applicationId: string): string => `/packages/borrow/progress/index?id=${applicationId}`,
  appeal: (applicationId: string): string => `/packages/borrow/appeal/index?id=${applicationId}`,
  repay: (loanId: string): string => `/packages/borrow/repay/index?id=${loanId}`,
};

/** Opens `url` (tab pages with switchTab, the others with navigateTo). */
export function go(url: string): void {
  if (url === ROUTES.home || url === ROUTES.applications) wx.switchTab({ url });
  else wx.navigateTo({ url });
}
