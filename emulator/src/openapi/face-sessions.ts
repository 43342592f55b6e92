import { createHash, randomBytes } from 'node:crypto';
import type { WxErrorBody } from './access-tokens';

/** `getVerifyId`'s `expires_in`: the borrower must start face verification within an hour. */
export const VERIFY_ID_TTL_SECONDS = 3600;
/** `verify_ret` of a passed face verification. */
export const FACE_PASSED = 10000;
/** `verify_ret` the local backend answers while the device has not run face verification yet. */
export const FACE_NOT_RUN = 90000;

/** One face-verification session (`getVerifyId` → `wx.requestFacialVerify` → `queryVerifyInfo`). */
export interface FaceSession {
  verifyId: string;
  openid: string;
  outSeqNo: string;
  /** cert_hash of the cert_info getVerifyId received (never the name or number itself). */
  certHash: string;
  expiresAt: number;
  /** Set once the device ran face verification. */
  verifyRet?: number;
}

/** cert_hash as WeChat documents it: SHA-256 hex of `cert_type=b64&cert_name=b64&cert_no=b64`. */
export function certHashOf(cert: { cert_type: string; cert_name: string; cert_no: string }): string {
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  const joined = `cert_type=${b64(cert.cert_type)}&cert_name=${b64(cert.cert_name)}&cert_no=${b64(cert.cert_no)}`;
  return createHash('sha256').update(joined, 'utf8').digest('hex');
}

const OUT_SEQ_NO = /^[A-Za-z0-9_-]{5,32}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function invalidArgs(detail: string): WxErrorBody {
  return { errcode: 40097, errmsg: `invalid args: ${detail}` };
}

/** The sessions of the one AppID the emulator plays, keyed by verify_id. */
export class FaceSessions {
  constructor(
    /** Sessions by verify_id (a value changed in place is `set` again, for durable maps). */
    private readonly sessions: Map<string, FaceSession> = new Map(),
    /** Every out_seq_no used (unique per AppID). */
    private readonly outSeqNos: Map<string, true> = new Map(),
  ) {}

  /** `POST /cityservice/face/identify/getverifyid` (token already checked). */
  getVerifyId(body: Record<string, unknown>, now: number): WxErrorBody | Record<string, unknown> {
    const outSeqNo = text(body.out_seq_no);
    const openid = text(body.openid);
    const cert = (body.cert_info ?? {}) as Record<string, unknown>;
    const certType = text(cert.cert_type);
    const certName = text(cert.cert_name);
    const certNo = text(cert.cert_no);
    if (!outSeqNo || !OUT_SEQ_NO.test(outSeqNo))
      return invalidArgs('out_seq_no must be 5-32 letters, digits, _ or -');
    if (this.outSeqNos.has(outSeqNo)) return invalidArgs('out_seq_no already used for this appid');
    if (!openid) return invalidArgs('openid is required');
    if (certType !== 'IDENTITY_CARD' || !certName || !certNo)
      return invalidArgs('cert_info needs cert_type IDENTITY_CARD, cert_name and cert_no');
    const verifyId = randomBytes(32).toString('base64url');
    this.outSeqNos.set(outSeqNo, true);
    this.sessions.set(verifyId, {
      verifyId,
      openid,
      outSeqNo,
      certHash: certHashOf({ cert_type: certType, cert_name: certName, cert_no: certNo }),
      expiresAt: now + VERIFY_ID_TTL_SECONDS * 1000,
    });
    return { verify_id: verifyId, expires_in: VERIFY_ID_TTL_SECONDS };
  }

  /**
   * `wx.requestFacialVerify` on the device of `openid`: refused (a `fail` errMsg) for an unknown,
   * expired or foreign verifyId; otherwise records the outcome the test chose and answers `ok`,
   * which — as in WeChat — says nothing about whether the face matched.
   */
  runOnDevice(
    input: { openid: string; verifyId: string; verifyRet: number },
    now: number,
  ): string | undefined {
    const session = this.sessions.get(input.verifyId);
    if (!session || session.openid !== input.openid) return 'requestFacialVerify:fail invalid verifyId';
    if (now >= session.expiresAt) return 'requestFacialVerify:fail verifyId expired';
    this.sessions.set(input.verifyId, { ...session, verifyRet: input.verifyRet });
    return undefined;
  }

  /** `POST /cityservice/face/identify/queryverifyinfo` (token already checked). */
  queryVerifyInfo(body: Record<string, unknown>): WxErrorBody | Record<string, unknown> {
    const session = this.sessions.get(text(body.verify_id) ?? '');
    if (!session) return { errcode: 84001, errmsg: 'invalid identify id' };
    if (
      session.outSeqNo !== body.out_seq_no ||
      session.openid !== body.openid ||
      session.certHash !== body.cert_hash
    )
      return invalidArgs('out_seq_no, openid or cert_hash differ from getverifyid');
    return { verify_ret: session.verifyRet ?? FACE_NOT_RUN };
  }

  /** Drops every session. */
  clear(): void {
    this.sessions.clear();
    this.outSeqNos.clear();
  }
}
