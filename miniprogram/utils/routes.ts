/** Page paths; application ids are opaque server ids, never personal data. */
export const ROUTES = {
  home: '/pages/home/index',
  applications: '/pages/applications/index',
  me: '/pages/me/index',
  identity: '/packages/borrow/identity/index',
  apply: '/packages/borrow/apply/index',
  progress: (applicationId: string): string => `/packages/borrow/progress/index?id=${applicationId}`,
  appeal: (applicationId: string): string => `/packages/borrow/appeal/index?id=${applicationId}`,
  repay: (loanId: string): string => `/packages/borrow/repay/index?id=${loanId}`,
};

/** The tab bar's pages (app.json `tabBar.list`): reached with switchTab only. */
const TAB_PAGES: readonly string[] = [ROUTES.home, ROUTES.applications, ROUTES.me];

/** Opens `url` (tab pages with switchTab, the others with navigateTo). */
export function go(url: string): void {
  if (TAB_PAGES.includes(url)) wx.switchTab({ url });
  else wx.navigateTo({ url });
}
