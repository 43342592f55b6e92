import { invalidArgument, type WxApiError } from './wx-error';

/** Characters counted as WeChat counts them: by code point, not UTF-16 unit. */
function length(value: string): number {
  return Array.from(value).length;
}

const CHINESE = /\p{Script=Han}/u;
const ONLY_CHINESE = /^\p{Script=Han}+$/u;
const ONLY_LETTERS = /^[A-Za-z]+$/;
/** "年月日" date with an optional 24-hour time, e.g. `2019年10月1日 15:01`, or ISO-like `2019-10-01`. */
const DATE = /^\d{4}(年\d{1,2}月\d{1,2}日|-\d{1,2}-\d{1,2})( \d{1,2}:\d{2}(:\d{2})?)?$/;
/** 24-hour time with an optional date in front, e.g. `15:01` or `2019年10月1日 15:01`. */
const TIME = /^(\d{4}(年\d{1,2}月\d{1,2}日|-\d{1,2}-\d{1,2}) )?\d{1,2}:\d{2}(:\d{2})?$/;
/** One currency symbol, ≤ 10 digits with optional decimals, optionally ending in 元. */
const AMOUNT = /^[¥￥$€£]?(\d+(\.\d+)?)元?$/u;

/** A value is valid when the rule returns nothing; otherwise the reason. */
type FieldRule = (value: string) => string | undefined;

/** Either a single value or a range `a~b` of two valid values (dates and times allow ranges). */
function withRange(rule: FieldRule): FieldRule {
  return (value) => {
    const parts = value.split('~');
    if (parts.length > 2) return 'invalid';
    for (const part of parts) {
      const reason = rule(part.trim());
      if (reason) return reason;
    }
    return undefined;
  };
}

/** The published rules of subscribe-message template fields, by the key's type prefix. */
const RULES: Record<string, FieldRule> = {
  thing: (v) => (length(v) > 20 ? 'exceeds 20 characters' : undefined),
  number: (v) =>
    !/^\d+(\.\d+)?$/.test(v)
      ? 'must be digits'
      : v.replace('.', '').length > 32
        ? 'exceeds 32 digits'
        : undefined,
  letter: (v) =>
    !ONLY_LETTERS.test(v) ? 'must be letters' : length(v) > 32 ? 'exceeds 32 letters' : undefined,
  symbol: (v) => (length(v) > 5 ? 'exceeds 5 symbols' : undefined),
  character_string: (v) =>
    CHINESE.test(v) ? 'must not contain Chinese' : length(v) > 32 ? 'exceeds 32 characters' : undefined,
  time: withRange((v) => (TIME.test(v) ? undefined : 'invalid time')),
  date: withRange((v) => (DATE.test(v) ? undefined : 'invalid date')),
  amount: (v) => {
    const match = AMOUNT.exec(v);
    if (!match?.[1]) return 'invalid amount';
    return match[1].replace('.', '').length > 10 ? 'exceeds 10 digits' : undefined;
  },
  phone_number: (v) =>
    !/^[\d+\-() ]+$/.test(v)
      ? 'must be digits or symbols'
      : length(v) > 17
        ? 'exceeds 17 characters'
        : undefined,
  car_number: (v) => (length(v) > 8 ? 'exceeds 8 characters' : undefined),
  name: (v) => {
    if (ONLY_CHINESE.test(v)) return length(v) > 10 ? 'exceeds 10 Chinese characters' : undefined;
    if (CHINESE.test(v)) return 'mixes Chinese and other characters';
    return length(v) > 20 ? 'exceeds 20 letters' : undefined;
  },
  phrase: (v) =>
    !ONLY_CHINESE.test(v) ? 'must be Chinese' : length(v) > 5 ? 'exceeds 5 characters' : undefined,
};

/** The type of a template key such as `thing1` or `character_string12`; undefined when unknown. */
export function fieldType(key: string): string | undefined {
  const match = /^([a-z_]+?)(\d+)$/.exec(key);
  return match?.[1] && RULES[match[1]] ? match[1] : undefined;
}

/**
 * Checks `data` of `subscribeMessage.send` against the field rules; returns the 47003 error WeChat
 * gives for the first bad field, or undefined when every field passes.
 */
export function checkTemplateData(data: unknown): WxApiError | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return invalidArgument('data is invalid');
  for (const [key, entry] of Object.entries(data as Record<string, unknown>)) {
    const type = fieldType(key);
    if (!type) return invalidArgument(`data.${key} is not a template field`);
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' && typeof value !== 'number')
      return invalidArgument(`data.${key}.value is empty`);
    const text = String(value);
    if (text.length === 0) return invalidArgument(`data.${key}.value is empty`);
    const reason = RULES[type]?.(text);
    if (reason) return invalidArgument(`data.${key}.value invalid: ${reason}`);
  }
  return undefined;
}
