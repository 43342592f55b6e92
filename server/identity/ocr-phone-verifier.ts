import { normaliseIdNumber } from '../../shared/idcard';
import { normalisePersonName } from '../../shared/person-name';
import { idCardPhotoType, MAX_ID_CARD_PHOTO_BYTES, type IdCardPhotoStore } from './id-card-photo';
import { identityError } from './messages';
import { OpenApiCallError, type IdentityOpenApi } from './openapi-port';
import { openApiRefusal, resolvePhone } from './phone';
import type { IdentityClaim, IdentityVerifier, VerifiedContact } from './verifier';

/** The uploaded photo's bytes and type, or the refusal the borrower can act on. */
async function readPhoto(
  photos: IdCardPhotoStore,
  fileId: string,
): Promise<{ contentType: string; bytes: Buffer }> {
  let bytes: Buffer | undefined;
  try {
    bytes = await photos.download(fileId);
  } catch {
    throw identityError('VERIFIER_UNAVAILABLE');
  }
  if (!bytes) throw identityError('ID_CARD_IMAGE_MISSING');
  const contentType = idCardPhotoType(bytes);
  if (!contentType || bytes.length >= MAX_ID_CARD_PHOTO_BYTES) throw identityError('ID_CARD_IMAGE_INVALID');
  return { contentType, bytes };
}

/**
 * For lenders without the face-verification licence: `ocr.idcard` reads the ID-card photo the caller
 * uploaded to cloud storage, whose name and number must equal the typed ones (after the same
 * normalisation), and the phone number comes from WeChat's `getPhoneNumber`. The photo is used for
 * this call only; verifyIdentity deletes it afterwards.
 */
export function ocrPhoneVerifier(api: IdentityOpenApi, photos: IdCardPhotoStore): IdentityVerifier {
  return {
    kind: 'ocr_phone',
    attemptCountedAt: 'verify',
    requireEvidence(claim: IdentityClaim): void {
      if (!claim.idCardFileId) throw identityError('ID_CARD_IMAGE_REQUIRED');
    },
    async verify(claim: IdentityClaim): Promise<VerifiedContact> {
      this.requireEvidence(claim);
      const image = await readPhoto(photos, claim.idCardFileId ?? '');
      let card;
      try {
        card = await api.ocrIdCard(image);
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
