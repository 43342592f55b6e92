import type { CertInfo } from './cert-hash';

/** `getVerifyId` answer. */
export interface FaceSessionStarted {
  /** Opaque session id (≤ 256 characters) the page hands to `wx.requestFacialVerify`. */
  verifyId: string;
  /** How long the borrower has to run face verification. */
  expiresInSeconds: number;
}

/**
 * WeChat face verification's server half (HTTPS only; no cloud call), as a port; the adapter is
 * https-face-api.ts. Both throw OpenApiCallError (`invalid_result` when WeChat refuses the session,
 * `unavailable` when it cannot be reached or refuses our credentials).
 */
export interface FaceVerifyApi {
  getVerifyId(input: { outSeqNo: string; openid: string; certInfo: CertInfo }): Promise<FaceSessionStarted>;
  /** `verify_ret` of the session: 10000 = the face matched the identity. */
  queryVerifyInfo(input: {
    verifyId: string;
    outSeqNo: string;
    openid: string;
    certHash: string;
  }): Promise<{ verifyRet: number }>;
}

/** `verify_ret` of a passed face verification. */
export const FACE_VERIFY_PASSED = 10000;
