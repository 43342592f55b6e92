import { createHash } from 'node:crypto';
import { OpenApiCallError, type IdentityOpenApi } from '../../server/identity/openapi-port';

/** An in-process stand-in for the identity open APIs, for domain tests (the emulator test uses the real SDK path). */
export class FakeIdentityOpenApi implements IdentityOpenApi {
  readonly phoneCodes = new Map<string, string>();
  readonly faceResults = new Map<
    string,
    { openid: string; name: string; idNumber: string; identifyRet: number }
  >();
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
    const card = this.images.get(image.bytes.toString('utf8'));
    if (!card) throw new OpenApiCallError('not_recognised', 101001);
    return card;
  }
}
