import { chinaDateOf, completedYears, parseDate } from '../../shared/china-date';
import { normaliseIdNumber } from '../../shared/idcard';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import type { DocStore } from '../storage/doc-store';
import { blindIndexOf, decryptPii, type PiiKeys } from '../pii';
import { AppError } from '../runtime/app-error';
import { piiPurpose } from './identity-record';
import { IDENTITY_COLLECTIONS } from './records';

/** What the read-side helpers need. */
export interface IdentityReadDeps {
  store: DocStore;
  keys: PiiKeys;
}

/** The borrower document of `openid` (identity masked and encrypted), or undefined. */
export async function getBorrower(deps: IdentityReadDeps, openid: string): Promise<BorrowerDoc | undefined> {
  return deps.store.get<BorrowerDoc & { [field: string]: unknown }>(IDENTITY_COLLECTIONS.borrowers, openid);
}

/** A verified borrower's identity in plaintext. */
export interface RevealedIdentity {
  name: string;
  idNumber: string;
  phone: string;
}

/**
 * Decrypts a borrower's identity for an operator who gave a reason. The ops side checks the
 * operator's rights and audits the reveal (with the reason); this never logs the plaintext.
 */
export async function revealIdentity(
  deps: IdentityReadDeps,
  openid: string,
  reason: string,
): Promise<RevealedIdentity> {
  if (reason.trim().length === 0) throw new AppError('REASON_REQUIRED', '查看完整身份信息必须填写原因');
  const borrower = await getBorrower(deps, openid);
  const encrypted = borrower?.identity?.encrypted;
  if (!encrypted) throw new AppError('IDENTITY_NOT_FOUND', '该用户尚未完成实名认证');
  return {
    name: decryptPii(deps.keys, encrypted.name, piiPurpose(openid, 'name')),
    idNumber: decryptPii(deps.keys, encrypted.idNumber, piiPurpose(openid, 'idNumber')),
    phone: decryptPii(deps.keys, encrypted.phone, piiPurpose(openid, 'phone')),
  };
}

/** Completed years on `now` (China calendar) for a `YYYY-MM-DD` birth date; throws RangeError on a bad date. */
export function ageOn(birthDate: string, now: number): number {
  const birth = parseDate(birthDate);
  if (!birth) throw new RangeError('birthDate must be a real YYYY-MM-DD date');
  return completedYears(birth, chinaDateOf(now));
}

/**
 * The blind index of an ID number, as stored in `identity.idHash` (blacklist and duplicate lookups).
 * Applies the same normalisation as verification; refuses anything that is not 18 characters.
 */
export function blindIndex(keys: PiiKeys, idNumber: string): string {
  const canonical = normaliseIdNumber(idNumber);
  if (!/^[1-9]\d{16}[\dX]$/.test(canonical)) throw new AppError('ID_FORMAT', '身份证号码格式不正确');
  return blindIndexOf(keys, 'idNumber', canonical);
}
