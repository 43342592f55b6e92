import { createHash, timingSafeEqual } from 'node:crypto';
import { identityError } from './messages';
import type { IdentityOpenApi } from './openapi-port';
import { openApiRefusal, resolvePhone } from './phone';
import type { IdentityClaim, IdentityVerifier, VerifiedContact } from './verifier';

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * WeChat face verification (legacy flow, licensed lenders only): the page ran
 * `wx.startFacialRecognitionVerify` with the name and ID number; the server checks the
 * `verify_result` passed, belongs to this openid, and was for exactly this name and number.
 */
export function faceVerifier(api: IdentityOpenApi): IdentityVerifier {
  return {
    kind: 'face',
    requireEvidence(claim: IdentityClaim): void {
      if (!claim.faceVerifyResult) throw identityError('FACE_RESULT_REQUIRED');
    },
    async verify(claim: IdentityClaim): Promise<VerifiedContact> {
      this.requireEvidence(claim);
      let info;
      try {
        info = await api.getFaceIdentifyInfo(claim.faceVerifyResult ?? '');
      } catch (error) {
        throw openApiRefusal(error, 'FACE_RESULT_INVALID');
      }
      if (info.openid !== claim.openid) throw identityError('FACE_RESULT_INVALID');
      if (info.identifyRet !== 0) throw identityError('FACE_NOT_PASSED');
      if (!sameHex(info.idCardNumberMd5, md5(claim.idNumber)) || !sameHex(info.nameUtf8Md5, md5(claim.name)))
        throw identityError('FACE_MISMATCH');
      return { phone: await resolvePhone(api, claim.phoneCode) };
    },
  };
}
