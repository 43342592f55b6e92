import { BSONRegExp, EJSON } from 'bson';
import { DbError, DbErrorCode } from './errors';

/** A stored document as the evaluator sees it: plain JS values (numbers, strings, Date, RegExp…). */
export type Doc = Record<string, unknown>;

/** True for a plain `{…}` object (not an array, Date, RegExp or BSON wrapper). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Turns EJSON-parsed values into what mingo compares correctly: `BSONRegExp` becomes `RegExp`;
 * `{$tcb_server_date:{offset}}` becomes the server's time (only where `now` is given: data, not queries).
 */
function toPlain(value: unknown, now: number | undefined): unknown {
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^gimsuy]/g, ''));
  if (Array.isArray(value)) return value.map((item) => toPlain(item, now));
  if (!isPlainObject(value)) return value;
  const serverDate = value.$tcb_server_date;
  if (serverDate !== undefined && Object.keys(value).length === 1) {
    if (now === undefined) throw new DbError(DbErrorCode.invalidParam, 'serverDate is only allowed in data');
    const offset = isPlainObject(serverDate) ? Number(serverDate.offset ?? 0) : 0;
    if (!Number.isFinite(offset))
      throw new DbError(DbErrorCode.invalidParam, 'serverDate offset must be a number');
    return new Date(now + offset);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toPlain(item, now);
  return out;
}

/**
 * Parses one EJSON string (or an already-decoded object) sent by the SDK into plain values.
 * `now` resolves `db.serverDate()`; omit it for queries, where serverDate makes no sense.
 */
export function decodeEjson(input: unknown, field: string, now?: number): unknown {
  let parsed: unknown;
  try {
    parsed =
      typeof input === 'string' ? EJSON.parse(input, { relaxed: true }) : EJSON.deserialize(input as Doc);
  } catch (error) {
    throw new DbError(DbErrorCode.invalidParam, `${field} is not valid EJSON: ${(error as Error).message}`);
  }
  return toPlain(parsed, now);
}

/** Like decodeEjson, but the value must be an object. */
export function decodeEjsonObject(input: unknown, field: string, now?: number): Doc {
  const value = decodeEjson(input, field, now);
  if (!isPlainObject(value)) throw new DbError(DbErrorCode.invalidParam, `${field} must be an object`);
  return value;
}

/**
 * Canonical EJSON of a document, the storage and wire format. JS numbers come back as the SDK sends
 * them: integers as $numberInt/$numberLong, fractions as $numberDouble.
 */
export function encodeEjson(doc: Doc): string {
  return EJSON.stringify(doc, { relaxed: false });
}

/** Reads a stored document back into plain values. */
export function decodeStored(body: string): Doc {
  return toPlain(EJSON.parse(body, { relaxed: true }), undefined) as Doc;
}

/** The value with every object's keys sorted, so structurally equal documents serialise alike. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys(value[key]);
  return out;
}

/** Whether two documents hold the same fields and values (types included), whatever their key order. */
export function sameDocument(a: Doc, b: Doc): boolean {
  return encodeEjson(sortedKeys(a) as Doc) === encodeEjson(sortedKeys(b) as Doc);
}

/** A deep copy through the storage format, so callers never share nested objects. */
export function cloneDoc(doc: Doc): Doc {
  return decodeStored(encodeEjson(doc));
}
