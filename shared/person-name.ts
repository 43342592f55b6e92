/**
 * Borrowers' legal names as printed on a resident ID card or residence permit. Pure code shared by
 * the mini-program and the server.
 *
 * Policy: Han characters only (any plane, so rare astral-plane characters in names are fine),
 * optionally separated by a middle dot as in minority and transliterated names (`阿卜杜·热合曼`).
 * Look-alike dots (`・`, `･`, `•`, `‧`, `．`) are normalised to `·` (U+00B7); surrounding whitespace is
 * trimmed. Everything else — Latin letters, digits, emoji, combining marks, control, bidi-override
 * and zero-width characters, inner spaces — is refused. Length is counted in code points.
 */

/** Stable codes for every way a name can be refused. */
export type PersonNameErrorCode =
  'NAME_REQUIRED' | 'NAME_TOO_SHORT' | 'NAME_TOO_LONG' | 'NAME_CHARACTERS' | 'NAME_DOT';

/** Messages a borrower can act on, by code. */
export const PERSON_NAME_MESSAGES: Record<PersonNameErrorCode, string> = {
  NAME_REQUIRED: '请输入姓名',
  NAME_TOO_SHORT: '姓名至少需要2个字',
  NAME_TOO_LONG: '姓名过长，请按身份证上的姓名填写',
  NAME_CHARACTERS: '姓名只能包含汉字和间隔号“·”，请按身份证上的姓名填写',
  NAME_DOT: '间隔号“·”不能出现在开头、结尾或连续出现',
};

/** Fewest code points in a name. */
export const MIN_NAME_LENGTH = 2;
/** Most code points in a name (long transliterated minority names fit). */
export const MAX_NAME_LENGTH = 30;
/** Longest raw input even looked at. */
const MAX_RAW_NAME_LENGTH = 256;

/** Outcome of checking a name. */
export type PersonNameResult =
  { ok: true; name: string } | { ok: false; code: PersonNameErrorCode; message: string };

const LOOKALIKE_DOTS = /[\u30FB\uFF65\u2022\u2027\uFF0E\u2219\u22C5]/g;
const SURROUNDING_SPACE = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;

function fail(code: PersonNameErrorCode): PersonNameResult {
  return { ok: false, code, message: PERSON_NAME_MESSAGES[code] };
}

/** Trims, composes (NFC) and unifies middle dots; the result still has to pass the checks. */
export function normalisePersonName(raw: string): string {
  return raw.replace(SURROUNDING_SPACE, '').normalize('NFC').replace(LOOKALIKE_DOTS, '\u00B7');
}

/** Normalises and checks a name; answers the canonical form or a specific error. */
export function validatePersonName(raw: string): PersonNameResult {
  if (raw.length > MAX_RAW_NAME_LENGTH) return fail('NAME_TOO_LONG');
  const name = normalisePersonName(raw);
  const points = Array.from(name);
  if (points.length === 0) return fail('NAME_REQUIRED');
  if (!points.every((c) => c === '\u00B7' || /^\p{Script=Han}$/u.test(c))) return fail('NAME_CHARACTERS');
  if (name.startsWith('\u00B7') || name.endsWith('\u00B7') || name.includes('\u00B7\u00B7'))
    return fail('NAME_DOT');
  if (points.length < MIN_NAME_LENGTH) return fail('NAME_TOO_SHORT');
  if (points.length > MAX_NAME_LENGTH) return fail('NAME_TOO_LONG');
  return { ok: true, name };
}
