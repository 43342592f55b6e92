import {
  chinaDateOf,
  compareDates,
  completedYears,
  formatDate,
  isRealDate,
  type CalendarDate,
} from './china-date';
import type { IdentityPolicy } from './identity-policy';

/**
 * Resident ID numbers (GB 11643-1999) and HK/Macao/Taiwan residence permits, as typed by a
 * borrower. Pure code shared by the mini-program (checked while typing) and the server.
 *
 * Normalisation policy (one place, applied before every check and before indexing):
 * - surrounding whitespace (incl. the ideographic space and no-break space) and zero-width
 *   characters (U+200B–U+200D, U+2060, U+FEFF) are removed: pasted numbers often carry them;
 * - full-width digits and `Ｘ`/`ｘ` become ASCII (Chinese input methods produce them);
 * - a lowercase `x` becomes `X` (the check character is printed as X but often typed as x);
 * - anything else, including spaces or zero-width characters INSIDE the number, is refused
 *   (ID_FORMAT): grouping such as "110105 1949…" is not silently repaired.
 */

/** Stable codes for every way an ID number can be refused. */
export type IdNumberErrorCode =
  | 'ID_REQUIRED'
  | 'ID_LENGTH'
  | 'ID_FORMAT'
  | 'ID_PROVINCE'
  | 'ID_BIRTH_DATE'
  | 'ID_BIRTH_FUTURE'
  | 'ID_CHECK_DIGIT'
  | 'ID_PERMIT_NOT_ACCEPTED'
  | 'ID_AGE_TOO_YOUNG'
  | 'ID_AGE_TOO_OLD';

/** Messages a borrower can act on, by code. */
export const ID_NUMBER_MESSAGES: Record<IdNumberErrorCode, string> = {
  ID_REQUIRED: '请输入身份证号码',
  ID_LENGTH: '身份证号码应为18位',
  ID_FORMAT: '身份证号码只能包含数字，最后一位可以是X，请检查是否有空格或其他字符',
  ID_PROVINCE: '身份证号码前两位（地区代码）不正确，请核对',
  ID_BIRTH_DATE: '身份证号码中的出生日期不正确，请核对第7至14位',
  ID_BIRTH_FUTURE: '身份证号码中的出生日期晚于今天，请核对',
  ID_CHECK_DIGIT: '身份证号码校验不通过，请逐位核对后重新输入',
  ID_PERMIT_NOT_ACCEPTED: '暂不支持使用港澳台居民居住证办理，请使用居民身份证',
  ID_AGE_TOO_YOUNG: '年龄未达到借款要求',
  ID_AGE_TOO_OLD: '年龄超出借款要求的范围',
};

/** Which document the number belongs to. */
export type IdDocumentType = 'resident' | 'hmt_permit';

/** A well-formed number and what it encodes. */
export interface ParsedIdNumber {
  ok: true;
  /** Canonical form: 18 ASCII characters, check character upper case. */
  idNumber: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  gender: 'male' | 'female';
  documentType: IdDocumentType;
}

/** A refused number. */
export interface IdNumberError {
  ok: false;
  code: IdNumberErrorCode;
  message: string;
}

/** Outcome of checking an ID number. */
export type IdNumberResult = ParsedIdNumber | IdNumberError;

/** Longest raw input even looked at: anything longer is refused before normalising. */
export const MAX_RAW_ID_LENGTH = 64;

/** Weights of the 17 body digits (GB 11643-1999). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character by S mod 11. */
const CHECK_CHARS = '10X98765432';

/** Province-level prefixes of resident ID numbers. */
const RESIDENT_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71,
]);
/** Address codes of residence permits for HK (81), Macao (82) and Taiwan (83) residents. */
const PERMIT_ADDRESS_CODES = new Set(['810000', '820000', '830000']);

/** Oldest birth year taken as plausible (the published sample is from 1880). */
const EARLIEST_BIRTH_YEAR = 1800;

/** Surrounding characters removed by normalisation. */
const SURROUNDING_JUNK = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;

function fail(code: IdNumberErrorCode): IdNumberError {
  return { ok: false, code, message: ID_NUMBER_MESSAGES[code] };
}

/** Applies the normalisation policy above; the result still has to pass the format check. */
export function normaliseIdNumber(raw: string): string {
  return raw
    .replace(SURROUNDING_JUNK, '')
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[xｘＸ]/g, 'X');
}

/** The check character for 17 body digits. */
export function idCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/**
 * Checks format, address prefix, birth date (real, not after today in China) and check character.
 * `now` is epoch milliseconds from the caller's clock.
 */
export function parseIdNumber(raw: string, now: number): IdNumberResult {
  if (raw.length > MAX_RAW_ID_LENGTH) return fail('ID_LENGTH');
  const id = normaliseIdNumber(raw);
  if (id.length === 0) return fail('ID_REQUIRED');
  if (!/^[\dX]+$/.test(id) || /X./.test(id)) return fail('ID_FORMAT');
  if (id.length !== 18) return fail('ID_LENGTH');
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return fail('ID_FORMAT');
  const documentType: IdDocumentType = PERMIT_ADDRESS_CODES.has(id.slice(0, 6)) ? 'hmt_permit' : 'resident';
  if (documentType === 'resident' && !RESIDENT_PROVINCES.has(Number(id.slice(0, 2))))
    return fail('ID_PROVINCE');
  const birth: CalendarDate = {
    year: Number(id.slice(6, 10)),
    month: Number(id.slice(10, 12)),
    day: Number(id.slice(12, 14)),
  };
  if (birth.year < EARLIEST_BIRTH_YEAR || !isRealDate(birth)) return fail('ID_BIRTH_DATE');
  if (compareDates(birth, chinaDateOf(now)) > 0) return fail('ID_BIRTH_FUTURE');
  if (idCheckChar(id) !== id[17]) return fail('ID_CHECK_DIGIT');
  return {
    ok: true,
    idNumber: id,
    birthDate: formatDate(birth),
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    documentType,
  };
}

/** Applies the lender's policy (document type, age range in China on `now`) to a parsed number. */
export function checkIdPolicy(parsed: ParsedIdNumber, policy: IdentityPolicy, now: number): IdNumberResult {
  if (parsed.documentType === 'hmt_permit' && !policy.acceptResidencePermits)
    return fail('ID_PERMIT_NOT_ACCEPTED');
  const [year, month, day] = parsed.birthDate.split('-').map(Number);
  const age = completedYears({ year: year ?? 0, month: month ?? 0, day: day ?? 0 }, chinaDateOf(now));
  const range = `（需年满${policy.minAge}周岁且不超过${policy.maxAge}周岁）`;
  if (age < policy.minAge)
    return { ...fail('ID_AGE_TOO_YOUNG'), message: ID_NUMBER_MESSAGES.ID_AGE_TOO_YOUNG + range };
  if (age > policy.maxAge)
    return { ...fail('ID_AGE_TOO_OLD'), message: ID_NUMBER_MESSAGES.ID_AGE_TOO_OLD + range };
  return parsed;
}

/** Full check as the product applies it: `parseIdNumber` then `checkIdPolicy`. */
export function validateIdNumber(raw: string, now: number, policy: IdentityPolicy): IdNumberResult {
  const parsed = parseIdNumber(raw, now);
  return parsed.ok ? checkIdPolicy(parsed, policy, now) : parsed;
}
