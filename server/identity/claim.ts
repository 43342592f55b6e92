import { validateIdNumber, type ParsedIdNumber } from '../../shared/idcard';
import { validatePersonName } from '../../shared/person-name';
import type { IdentityVerifyRequest } from '../../typings/identity';
import { AppError } from '../runtime/app-error';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import type { CheckedPerson, IdentityClaim } from './verifier';

/** ocr.idcard refuses images of 2 MB or more; so do we, before spending a call. */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** A claim that passed every local check, and what its ID number encodes. */
export interface CheckedClaim {
  claim: IdentityClaim;
  id: ParsedIdNumber;
}

/** The name and ID number rules (shared with the mini-program) and the lender's policy; no storage, no WeChat. */
export function checkPerson(
  deps: IdentityDeps,
  request: { name: string; idNumber: string },
): CheckedPerson & { id: ParsedIdNumber } {
  const name = validatePersonName(request.name);
  if (!name.ok) throw new AppError(name.code, name.message);
  const id = validateIdNumber(request.idNumber, deps.clock.now(), deps.config.policy);
  if (!id.ok) throw new AppError(id.code, id.message);
  return { name: name.name, idNumber: id.idNumber, id };
}

/**
 * Validates and normalises a verify request without touching storage or WeChat: name and ID
 * number rules (shared with the mini-program), the lender's policy, and the verifier's evidence.
 */
export function checkClaim(deps: IdentityDeps, openid: string, request: IdentityVerifyRequest): CheckedClaim {
  const { id, ...person } = checkPerson(deps, request);
  const claim: IdentityClaim = {
    openid,
    ...person,
    phoneCode: request.phoneCode,
    ...(request.faceVerifyId !== undefined && { faceVerifyId: request.faceVerifyId }),
  };
  if (request.idCardImage) {
    const bytes = Buffer.from(request.idCardImage.base64, 'base64');
    if (bytes.length === 0 || bytes.length >= MAX_IMAGE_BYTES) throw identityError('ID_CARD_IMAGE_INVALID');
    claim.idCardImage = { contentType: request.idCardImage.contentType, bytes };
  }
  deps.verifier.requireEvidence(claim);
  return { claim, id };
}
