/**
 * The deterministic rules the openapi fakes follow, so tests and demos choose outcomes by choosing
 * inputs. emulator/TEST-DATA.md documents each rule; change both together.
 */

/** `riskControl.getUserRiskRank`: an openid ending in `risk0` … `risk4` gets that rank, others 0. */
export function riskRankFor(openid: string): number {
  const match = /risk([0-4])$/.exec(openid);
  return match ? Number(match[1]) : 0;
}

/** `security.msgSecCheck` verdict for a text: markers in the text pick the outcome. */
export function contentVerdict(text: string): { suggest: 'pass' | 'review' | 'risky'; label: number } {
  if (text.includes('#risky#')) return { suggest: 'risky', label: 20006 };
  if (text.includes('#review#')) return { suggest: 'review', label: 21000 };
  return { suggest: 'pass', label: 100 };
}

/** How long a `getPhoneNumber` button code stays valid (WeChat: 5 minutes). */
export const PHONE_CODE_TTL_MS = 5 * 60 * 1000;

/** `security.msgSecCheck` v2 needs the openid to have used the mini-program within this window. */
export const RECENT_VISIT_WINDOW_MS = 2 * 60 * 60 * 1000;

/** `wx.requestSubscribeMessage` accepts at most this many one-time templates per call. */
export const MAX_TEMPLATES_PER_REQUEST = 5;
