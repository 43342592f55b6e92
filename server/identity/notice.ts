import type { IdentityConsentDoc } from './records';
import { createHash } from 'node:crypto';
import {
  SENSITIVE_INFO_NOTICE_TEXT,
  SENSITIVE_INFO_NOTICE_VERSION,
} from '../../shared/sensitive-info-notice';

/** The notice borrowers consent to now: its version and the SHA-256 of its exact text. */
export function currentNotice(): { version: string; sha256: string } {
  return {
    version: SENSITIVE_INFO_NOTICE_VERSION,
    sha256: createHash('sha256').update(SENSITIVE_INFO_NOTICE_TEXT, 'utf8').digest('hex'),
  };
}

/** True when `consent` is to exactly this notice text and has not been withdrawn. */
export function isConsentInForce(
  consent: IdentityConsentDoc | undefined,
  notice: { sha256: string },
): boolean {
  return consent?.noticeHash === notice.sha256 && !consent.withdrawnAt;
}
