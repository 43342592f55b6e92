import { createHash } from 'node:crypto';
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
  readonly faceResults = new Map<
    string,
    { openid: string; name: string; idNumber: string; identifyRet: number }
  >();
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

  async getFaceIdentifyInfo(verifyResult: string) {
    this.calls += 1;
    const result = this.faceResults.get(verifyResult);
    if (!result) throw new OpenApiCallError('invalid_result', 47003);
    const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
    return {
      identifyRet: result.identifyRet,
      openid: result.openid,
      idCardNumberMd5: md5(result.idNumber),
      nameUtf8Md5: md5(result.name),
    };
  }

  async ocrIdCard(image: { contentType: string; bytes: Buffer }) {
    this.calls += 1;
    const card = this.images.get(image.bytes.toString('base64'));
    if (!card) throw new OpenApiCallError('not_recognised', 101001);
    return card;
  }
}
