import Ajv, { type ValidateFunction } from 'ajv';
import { ObjectId } from 'bson';

/** MongoDB `bsonType` names and how a stored (plain JS) value is recognised. */
const bsonTypes: Record<string, (value: unknown) => boolean> = {
  object: (v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype,
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 31 - 1,
  long: (v) => typeof v === 'number' && Number.isInteger(v),
  double: (v) => typeof v === 'number',
  decimal: (v) => typeof v === 'number',
  number: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp,
  objectId: (v) => v instanceof ObjectId,
};

const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
ajv.addKeyword({
  keyword: 'bsonType',
  schemaType: ['string', 'array'],
  validate: (schema: string | string[], data: unknown) =>
    (Array.isArray(schema) ? schema : [schema]).some((name) => bsonTypes[name]?.(data) ?? false),
});

const compiled = new Map<string, ValidateFunction>();

/** mingo's `jsonSchemaValidator`: `$jsonSchema` (draft 4 keywords plus MongoDB's `bsonType`) through ajv. */
export function jsonSchemaValidator(schema: Record<string, unknown>): (doc: unknown) => boolean {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  const run = validate;
  return (doc) => run(doc) === true;
}
