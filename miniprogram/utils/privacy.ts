import { clientSupports } from './client-support';

/** Id of the sheet's `open-type="agreePrivacyAuthorization"` button; WeChat checks it was tapped. */
export const PRIVACY_AGREE_BUTTON_ID = 'privacy-agree';

/** What `wx.onNeedPrivacyAuthorization`'s resolve accepts. */
export type PrivacyResolution =
  { event: 'exposureAuthorization' } | { event: 'agree'; buttonId: string } | { event: 'disagree' };

/** The resolve callback WeChat hands to the listener. */
export type PrivacyResolve = (resolution: PrivacyResolution) => void;

/** What a page's `wl-privacy-sheet` (id `privacy-sheet`) offers the app-level listener. */
export interface PrivacySheet {
  open(resolve: PrivacyResolve): void;
}

/** `wx.onNeedPrivacyAuthorization` (base library 2.32.3): absent from the typings this project pins. */
interface PrivacyApi {
  onNeedPrivacyAuthorization(listener: (resolve: PrivacyResolve, info: { referrer: string }) => void): void;
}

/** The privacy sheet of the page on screen, if it has one. */
function currentSheet(): PrivacySheet | undefined {
  const pages = getCurrentPages();
  const page = pages[pages.length - 1];
  let sheet: unknown;
  try {
    sheet = page?.selectComponent('#privacy-sheet');
  } catch {
    // WeChat answers null for no match; some simulators throw instead.
    return undefined;
  }
  return typeof (sheet as Partial<PrivacySheet> | null)?.open === 'function'
    ? (sheet as PrivacySheet)
    : undefined;
}

/**
 * App-level handling of WeChat's privacy check (app.json `__usePrivacyCheck__`): when a privacy API
 * (the phone-number button, the camera) needs the borrower's consent to our 用户隐私保护指引, the
 * current page's privacy sheet shows our notice and resolves with the borrower's choice. A page
 * without a sheet declines, so the API fails cleanly instead of hanging. Older base libraries have
 * no privacy check, so there is nothing to handle there.
 */
export function handlePrivacyAuthorization(): void {
  if (!clientSupports('onNeedPrivacyAuthorization')) return;
  (wx as unknown as PrivacyApi).onNeedPrivacyAuthorization((resolve) => {
    const sheet = currentSheet();
    if (!sheet) {
      resolve({ event: 'disagree' });
      wx.showToast({ title: '请在实名认证页同意隐私保护指引', icon: 'none' });
      return;
    }
    resolve({ event: 'exposureAuthorization' });
    sheet.open(resolve);
  });
}
