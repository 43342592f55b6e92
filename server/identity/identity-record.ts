import { maskIdNumber, maskName, maskPhone } from '../../shared/masking';
import type { BorrowerIdentity } from '../borrowers/borrower-doc';
import { blindIndexOf, encryptPii, type PiiKeys } from '../pii';
import type { CheckedClaim } from './claim';
import type { IdentityVerifierKind } from '../../typings/identity';

/** Where each encrypted field lives: bound into the envelope so it cannot be moved elsewhere. */
export function piiPurpose(openid: string, field: 'name' | 'idNumber' | 'phone'): string {
  return `borrower:${openid}:identity.${field}`;
}

/** Builds the stored identity: plaintext only inside envelopes, plus masks and blind indexes. */
export function buildIdentity(
  keys: PiiKeys,
  checked: CheckedClaim,
  phone: string,
  verifier: IdentityVerifierKind,
  verifiedAt: number,
): BorrowerIdentity {
  const { claim, id } = checked;
  return {
    encrypted: {
      name: encryptPii(keys, claim.name, piiPurpose(claim.openid, 'name')),
      idNumber: encryptPii(keys, claim.idNumber, piiPurpose(claim.openid, 'idNumber')),
      phone: encryptPii(keys, phone, piiPurpose(claim.openid, 'phone')),
    },
    idHash: blindIndexOf(keys, 'idNumber', claim.idNumber),
    phoneHash: blindIndexOf(keys, 'phone', phone),
    masked: { name: maskName(claim.name), idNumber: maskIdNumber(claim.idNumber), phone: maskPhone(phone) },
    birthDate: id.birthDate,
    gender: id.gender,
    documentType: id.documentType,
    verifier,
    verifiedAt,
  };
}
