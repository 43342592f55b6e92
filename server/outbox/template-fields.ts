/**
 * Subscribe-message field limits by the key's type prefix (platform facts, notifications): WeChat
 * rejects an over-long or malformed value, so a composed message is checked before it is queued.
 * Characters are counted by code point.
 */
const FIELD_RULES: Record<string, (value: string) => boolean> = {
  thing: (v) => Array.from(v).length <= 20,
  number: (v) => /^\d+(\.\d+)?$/.test(v) && v.replace('.', '').length <= 32,
  character_string: (v) => !/\p{Script=Han}/u.test(v) && Array.from(v).length <= 32,
  amount: (v) => {
    const digits = /^[¥￥]?(\d+(?:\.\d+)?)元?$/u.exec(v)?.[1];
    return digits !== undefined && digits.replace('.', '').length <= 10;
  },
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
  date: (v) => /^\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?$/.test(v),
  time: (v) => /^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{2}:\d{2}$/.test(v),
};

/** Throws when a field's key has no known type or its value breaks that type's limit. */
export function checkTemplateFields(data: Record<string, { value: string }>): void {
  for (const [key, { value }] of Object.entries(data)) {
    const type = /^([a-z_]+?)\d+$/.exec(key)?.[1];
    const rule = type ? FIELD_RULES[type] : undefined;
    if (!rule) throw new RangeError(`template field ${key}: unknown field type`);
    if (!rule(value)) throw new RangeError(`template field ${key}: value breaks the ${type} limit`);
  }
}
