/** How the mini-program reaches its backend: the one switch between CloudBase and the local emulator. */
export interface BackendConfig {
  /** `cloudbase`: `wx.cloud.callFunction`; `local`: the emulator's client gateway over `wx.request` (DevTools + `npm start`). */
  mode: 'cloudbase' | 'local';
  /** CloudBase environment id given to `wx.cloud.init`. */
  cloudEnv: string;
  /** Base URL of the local backend started with `npm start` (default port 9670). */
  localBaseUrl: string;
  /** Openid the local gateway treats as the signed-in user (a developer's test user, never a real one). */
  developerOpenid: string;
  /** One-time subscribe-message templates asked for when the borrower submits (at most 5). */
  subscribeTemplateIds: string[];
  /** One-time templates asked for when the borrower pays: each accepted one allows one repayment reminder. */
  reminderTemplateIds: string[];
}

/** The configuration in force; edit `mode` to run DevTools against the local backend. */
export const backendConfig: BackendConfig = {
  mode: 'cloudbase',
  cloudEnv: 'wxlend-prod',
  localBaseUrl: 'http://127.0.0.1:9670',
  developerOpenid: 'o-developer-0001',
  subscribeTemplateIds: ['loan-status'],
  reminderTemplateIds: ['repayment-reminder'],
};
