import { normaliseIdNumber } from '../../shared/idcard';
import { normalisePersonName } from '../../shared/person-name';
import { identityError } from './messages';
import { OpenApiCallError, type IdentityOpenApi } from './openapi-port';
import { openApiRefusal, resolvePhone } from './phone';
import type { IdentityClaim, IdentityVerifier, VerifiedContact } from './verifier';

/**
 * For lenders without the face-verification licence: `ocr.idcard` reads the photographed ID card,
 * whose name and number must equal the typed ones (after the same normalisation), and the phone
 * number comes from WeChat's `getPhoneNumber`. The photo is used for this call only, never stored.
 */
export function ocrPhoneVerifier(api: IdentityOpenApi): IdentityVerifier {
  return {
    kind: 'ocr_phone',
    attemptCountedAt: 'verify',
    requireEvidence(claim: IdentityClaim): void {
      if (!claim.idCardImage) throw identityError('ID_CARD_IMAGE_REQUIRED');
    },
    async verify(claim: IdentityClaim): Promise<VerifiedContact> {
      this.requireEvidence(claim);
      let card;
      try {
        card = await api.ocrIdCard(claim.idCardImage ?? { contentType: '', bytes: Buffer.alloc(0) });
      } catch (error) {
        if (error instanceof OpenApiCallError && error.failure === 'invalid_image')
          throw identityError('ID_CARD_IMAGE_INVALID');
        throw openApiRefusal(error, 'OCR_NOT_RECOGNISED');
      }
      if (card.type !== 'Front') throw identityError('OCR_WRONG_SIDE');
      if (normaliseIdNumber(card.id) !== claim.idNumber || normalisePersonName(card.name) !== claim.name)
        throw identityError('OCR_MISMATCH');
      return { phone: await resolvePhone(api, claim.phoneCode) };
    },
  };
}
