import { randomBytes } from 'node:crypto';
import { certHash, type CertInfo } from '../../server/identity/cert-hash';
import type { FaceVerifyApi } from '../../server/identity/face-api';
import { OpenApiCallError, type IdentityOpenApi } from '../../server/identity/openapi-port';

/** An in-process stand-in for the identity open APIs, for domain tests (the emulator test uses the real SDK path). */
export class FakeIdentityOpenApi implements IdentityOpenApi {
  readonly phoneCodes = new Map<string, string>();
  readonly images = new Map<string, { type: 'Front' | 'Back'; name: string; id: string }>();
  calls = 0;

  async getPhoneNumber(code: string) {
    this.calls += 1;
    const phone = this.phoneCodes.get(code);
    if (!phone) throw new OpenApiCallError('invalid_code', 40029);
    this.phoneCodes.delete(code);
    return { purePhoneNumber: phone, countryCode: '86' };
  }

  async ocrIdCard(image: { contentType: string; bytes: Buffer }) {
    this.calls += 1;
    const card = this.images.get(image.bytes.toString('utf8'));
    if (!card) throw new OpenApiCallError('not_recognised', 101001);
    return card;
  }
}

/** An in-process stand-in for getVerifyId / queryVerifyInfo with WeChat's binding checks. */
export class FakeFaceVerifyApi implements FaceVerifyApi {
  readonly sessions = new Map<
    string,
    { openid: string; outSeqNo: string; certHash: string; verifyRet?: number }
  >();
  calls = 0;

  async getVerifyId(input: { outSeqNo: string; openid: string; certInfo: CertInfo }) {
    this.calls += 1;
    const verifyId = randomBytes(16).toString('hex');
    this.sessions.set(verifyId, {
      openid: input.openid,
      outSeqNo: input.outSeqNo,
      certHash: certHash(input.certInfo),
    });
    return { verifyId, expiresInSeconds: 3600 };
  }

  /** The device ran `wx.requestFacialVerify` with this outcome. */
  run(verifyId: string, verifyRet = 10000): void {
    const session = this.sessions.get(verifyId);
    if (!session) throw new Error(`no session ${verifyId}`);
    session.verifyRet = verifyRet;
  }

  async queryVerifyInfo(input: { verifyId: string; outSeqNo: string; openid: string; certHash: string }) {
    this.calls += 1;
    const session = this.sessions.get(input.verifyId);
    if (!session) throw new OpenApiCallError('invalid_result', 84001);
    if (
      session.openid !== input.openid ||
      session.outSeqNo !== input.outSeqNo ||
      session.certHash !== input.certHash
    )
      throw new OpenApiCallError('invalid_result', 40097);
    return { verifyRet: session.verifyRet ?? 90000 };
  }
}
