/**
 * Index keys as byte strings whose byte order (SQLite BLOB comparison = memcmp) follows MongoDB's
 * order within each type: numbers numerically across int/double, strings as JavaScript compares them,
 * dates by time.
 * A key is the concatenation of one self-delimiting component per indexed field, so "every key
 * starting with these components" is the byte range [prefix, prefix + 0xFF).
 */

/** Type tags, in MongoDB's cross-type sort order; none is 0xFF so 0xFF bounds any prefix range. */
const Tag = {
  nullish: 0x10,
  number: 0x20,
  string: 0x30,
  object: 0x40,
  array: 0x50,
  boolean: 0x80,
  date: 0x90,
  regex: 0xb0,
} as const;

/** Upper sentinel byte: greater than every tag and every first byte of a component. */
export const KEY_END = 0xff;

function encodeFloat(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeDoubleBE(value === 0 ? 0 : value); // -0 and 0 index alike, as MongoDB compares them
  // Flip the sign bit of positives and every bit of negatives so byte order is numeric order.
  if ((buffer[0] ?? 0) & 0x80) for (let i = 0; i < 8; i++) buffer[i] = ~(buffer[i] ?? 0) & 0xff;
  else buffer[0] = (buffer[0] ?? 0) | 0x80;
  return buffer;
}

/**
 * Each UTF-16 code unit in UTF-8's byte pattern (surrogates included, as CESU-8 does), so byte order
 * is exactly JavaScript's string order, which is what mingo compares with. 0x00 is escaped so that
 * a 0x00 0x00 terminator ends the component and shorter strings sort first.
 */
function encodeTerminated(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0) out.push(0, 0xff);
    else if (unit < 0x80) out.push(unit);
    else if (unit < 0x800) out.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else out.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  out.push(0, 0);
  return Buffer.from(out);
}

/** Whether a value can be indexed with its natural order (the planner only uses these as bounds). */
export function isOrderedScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value instanceof Date
  );
}

/** Encodes one field value as a key component. `undefined` (missing) indexes like null, as in MongoDB. */
export function encodeComponent(value: unknown): Buffer {
  if (value === null || value === undefined) return Buffer.from([Tag.nullish]);
  if (typeof value === 'number') return Buffer.concat([Buffer.from([Tag.number]), encodeFloat(value)]);
  if (typeof value === 'bigint')
    return Buffer.concat([Buffer.from([Tag.number]), encodeFloat(Number(value))]);
  if (typeof value === 'string') return Buffer.concat([Buffer.from([Tag.string]), encodeTerminated(value)]);
  if (typeof value === 'boolean') return Buffer.from([Tag.boolean, value ? 1 : 0]);
  if (value instanceof Date) return Buffer.concat([Buffer.from([Tag.date]), encodeFloat(value.getTime())]);
  if (value instanceof RegExp)
    return Buffer.concat([Buffer.from([Tag.regex]), encodeTerminated(String(value))]);
  if (Array.isArray(value))
    return Buffer.concat([Buffer.from([Tag.array]), encodeTerminated(stableText(value))]);
  return Buffer.concat([Buffer.from([Tag.object]), encodeTerminated(stableText(value))]);
}

/** The smallest component of a scalar's type, for open-ended ranges ("> 5" stays among numbers). */
export function typeLowerBound(value: unknown): Buffer {
  return encodeComponent(value).subarray(0, 1);
}

/** Just past every component of a scalar's type. */
export function typeUpperBound(value: unknown): Buffer {
  return Buffer.from([(encodeComponent(value)[0] ?? 0) + 1]);
}

function stableText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof RegExp ? String(item) : item));
}

/** Appends the 0xFF sentinel: the exclusive upper bound of every key that starts with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  return Buffer.concat([prefix, Buffer.from([KEY_END])]);
}
