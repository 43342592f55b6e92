/**
 * The simulated phone the jest setup's `wx` plays: which local backend it talks to, who is signed in,
 * what the borrower does in WeChat's own dialogs, and a log of what the pages asked WeChat to do.
 */
export interface SimulatedPhone {
  /** Base URL of the local backend (set by each test after startTestEmulator()). */
  baseUrl: string | undefined;
  /** The signed-in WeChat user. */
  openid: string;
  /** Templates the borrower ticks in the subscribe prompt (all when undefined). */
  acceptTemplates: string[] | undefined;
  /** What the borrower does on WeChat's receipt page. */
  transferAction: 'confirm' | 'close';
  /** What face verification on this phone reports to WeChat (queryVerifyInfo's verify_ret; 10000 = the face matched). */
  faceVerifyRet: number;
  /** WeChat APIs this phone's base library lacks (`wx.canIUse` answers false, the API is absent). */
  missingApis: Set<string>;
  /** The listener the mini-program gave `wx.onNeedPrivacyAuthorization`, for a test to fire. */
  privacyListener:
    | ((resolve: (resolution: Record<string, unknown>) => void, info: { referrer: string }) => void)
    | undefined;
  /** Open pages, oldest first: what `getCurrentPages()` answers. */
  pages: object[];
  /** What the ID card in front of the camera says (registered with the backend's OCR when photographed). */
  idCard: { name: string; id: string } | undefined;
  /** Files the camera produced, by temp path (base64 of their bytes). */
  files: Map<string, string>;
  /** Local storage. */
  storage: Map<string, unknown>;
  /** Everything pages asked of WeChat, in order. */
  log: {
    subscribe: string[][];
    transfers: Array<{ package: string; status: number; errMsg: string }>;
    navigations: string[];
    toasts: string[];
    /** Every wx.cloud.callFunction, with its whole data as sent (JSON). */
    callFunction: Array<{ name: string; action: unknown; payload: string }>;
    /** Every wx.cloud.uploadFile: where to and the answered fileID. */
    uploads: Array<{ cloudPath: string; fileID?: string }>;
    /** verifyIds `wx.requestFacialVerify` ran. */
    faceVerifications: string[];
  };
}

/** Creates a phone with nobody's data. */
function freshPhone(): SimulatedPhone {
  return {
    baseUrl: undefined,
    openid: 'o-test-borrower',
    acceptTemplates: undefined,
    transferAction: 'confirm',
    faceVerifyRet: 10000,
    missingApis: new Set(),
    privacyListener: undefined,
    pages: [],
    idCard: undefined,
    files: new Map(),
    storage: new Map(),
    log: {
      subscribe: [],
      transfers: [],
      navigations: [],
      toasts: [],
      callFunction: [],
      uploads: [],
      faceVerifications: [],
    },
  };
}

/** The one simulated phone of this test file. */
export const phone: SimulatedPhone = freshPhone();

/** Points the phone at a backend and a user, clearing everything else. */
export function resetPhone(baseUrl: string, openid: string): void {
  Object.assign(phone, freshPhone(), { baseUrl, openid });
}

/** The backend URL, or a clear failure when a test forgot to start one. */
export function backendUrl(): string {
  if (!phone.baseUrl) throw new Error('no local backend: call resetPhone(emulator.baseUrl, openid) first');
  return phone.baseUrl;
}
