import { validateIdNumber, type ParsedIdNumber } from '../../shared/idcard';
import { validatePersonName } from '../../shared/person-name';
import type { IdentityVerifyRequest } from '../../typings/identity';
import { AppError } from '../runtime/app-error';
import type { IdentityDeps } from './deps';
import { ownsIdCardPhoto } from './id-card-photo';
import { identityError } from './messages';
import type { CheckedPerson, IdentityClaim } from './verifier';

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
 * number rules (shared with the mini-program), the lender's policy, the verifier's evidence, and that
 * an ID-card photo's fileID lies in the caller's own upload folder.
 */
export function checkClaim(deps: IdentityDeps, openid: string, request: IdentityVerifyRequest): CheckedClaim {
  const { id, ...person } = checkPerson(deps, request);
  const claim: IdentityClaim = {
    openid,
    ...person,
    phoneCode: request.phoneCode,
    ...(request.faceVerifyId !== undefined && { faceVerifyId: request.faceVerifyId }),
  };
  if (request.idCardFileId !== undefined) {
    if (!ownsIdCardPhoto(deps.keys, openid, request.idCardFileId))
      throw identityError('ID_CARD_IMAGE_FOREIGN');
    claim.idCardFileId = request.idCardFileId;
  }
  deps.verifier.requireEvidence(claim);
  return { claim, id };
}
