import { randomBytes } from 'node:crypto';
import { certHash, type CertInfo } from '../../server/identity/cert-hash';
import type { FaceVerifyApi } from '../../server/identity/face-api';
import type { IdCardPhotoStore } from '../../server/identity/id-card-photo';
import { OpenApiCallError, type IdentityOpenApi } from '../../server/identity/openapi-port';

/** JPEG bytes carrying `token`, so each fake photo is a distinct image the fake OCR can recognise. */
export function fakeJpeg(token: string): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.from(token),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Uploaded photos by fileID, for domain tests (the emulator tests use real cloud storage). */
export class MemoryPhotoStore implements IdCardPhotoStore {
  readonly files = new Map<string, Buffer>();
  readonly removed: string[] = [];

  async download(fileId: string): Promise<Buffer | undefined> {
    return this.files.get(fileId);
  }

  async remove(fileId: string): Promise<void> {
    this.removed.push(fileId);
    this.files.delete(fileId);
  }
}

/** An in-process stand-in for the identity open APIs, for domain tests (the emulator test uses the real SDK path). */
export class FakeIdentityOpenApi implements IdentityOpenApi {
  readonly phoneCodes = new Map<string, string>();
  /** What each photo shows, by the photo's bytes as base64. */
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
    const card = this.images.get(image.bytes.toString('base64'));
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
